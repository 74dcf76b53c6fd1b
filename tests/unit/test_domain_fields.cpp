#include "sileram/domain/fields.hpp"
#include "sileram/errors.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <map>
#include <string>
#include <vector>

using namespace sileram::domain;
using sileram::InvalidInput;

using namespace test_support;

namespace {

const std::vector<FieldRule> k_rules{
    {"channel", {"phone", "email", "chat", "letter", "social"}},
    {"process", {"ordering", "delivery", "billing", "support", "cancellation"}},
    {"product", {}}, // free text, but required
};

using Fields = std::map<std::string, std::string>;

Fields complete() {
    return {{"channel", "phone"}, {"process", "billing"}, {"product", "Energy contract"}};
}

std::string refusal_of(const Fields& fields, const std::vector<FieldRule>& rules = k_rules) {
    try {
        require_fields(fields, rules);
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "(no exception)";
}

} // namespace

TEST_CASE("require_fields accepts allowed values and any value of a free-text field") {
    CHECK_NOTHROW(require_fields(complete(), k_rules));
    Fields fields = complete();
    fields["product"] = "anything at all, ünïcode included";
    CHECK_NOTHROW(require_fields(fields, k_rules));
    fields["channel"] = "social";
    fields["process"] = "cancellation";
    CHECK_NOTHROW(require_fields(fields, k_rules));
}

TEST_CASE("require_fields lets fields without a rule through") {
    Fields fields = complete();
    fields["customer"] = "ACME";
    fields["region"] = "";
    CHECK_NOTHROW(require_fields(fields, k_rules));
    CHECK_NOTHROW(require_fields(Fields{}, std::vector<FieldRule>{}));
    CHECK_NOTHROW(require_fields(Fields{{"channel", "pigeon"}}, std::vector<FieldRule>{}));
}

TEST_CASE("require_fields refuses a missing required field") {
    Fields fields = complete();
    fields.erase("channel");
    CHECK_THROWS_AS(require_fields(fields, k_rules), InvalidInput);
    const std::string message = refusal_of(fields);
    CHECK(contains(message, "field channel is required"));
    CHECK(contains(message, "one of phone, email, chat, letter, social"));
}

TEST_CASE("require_fields counts an empty value as missing") {
    Fields fields = complete();
    fields["process"] = "";
    CHECK_THROWS_AS(require_fields(fields, k_rules), InvalidInput);
    CHECK(contains(refusal_of(fields), "field process is required"));
}

TEST_CASE("a free-text field is required but takes any value") {
    Fields fields = complete();
    fields.erase("product");
    CHECK_THROWS_AS(require_fields(fields, k_rules), InvalidInput);
    const std::string message = refusal_of(fields);
    CHECK(contains(message, "field product is required"));
    CHECK_FALSE(contains(message, "one of"));
    fields["product"] = "";
    CHECK_THROWS_AS(require_fields(fields, k_rules), InvalidInput);
    fields["product"] = "x";
    CHECK_NOTHROW(require_fields(fields, k_rules));
}

TEST_CASE("require_fields refuses a value that is not allowed, with a suggestion") {
    Fields fields = complete();
    fields["channel"] = "phnoe";
    CHECK_THROWS_AS(require_fields(fields, k_rules), InvalidInput);
    std::string message = refusal_of(fields);
    CHECK(contains(message, "channel 'phnoe' is not allowed"));
    CHECK(contains(message, "did you mean 'phone'?"));
    CHECK(contains(message, "allowed: phone, email, chat, letter, social"));

    fields["channel"] = "Email";
    message = refusal_of(fields);
    CHECK(contains(message, "'Email' is not allowed"));
    CHECK(contains(message, "did you mean 'email'?"));

    fields = complete();
    fields["process"] = "biling";
    CHECK(contains(refusal_of(fields), "did you mean 'billing'?"));
}

TEST_CASE("require_fields gives no suggestion when nothing is close") {
    Fields fields = complete();
    fields["channel"] = "carrier pigeon";
    CHECK_THROWS_AS(require_fields(fields, k_rules), InvalidInput);
    const std::string message = refusal_of(fields);
    CHECK(contains(message, "channel 'carrier pigeon' is not allowed"));
    CHECK_FALSE(contains(message, "did you mean"));
    CHECK(contains(message, "allowed: phone"));
}

TEST_CASE("require_fields errors carry exit code 2") {
    try {
        require_fields(Fields{}, k_rules);
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        CHECK(e.code() == sileram::ExitCode::invalid_input);
    }
}

TEST_CASE("require_field_name") {
    const std::string valid[] = {"channel",           "a", "field_2", "x9", "customer_segment",
                                 std::string(64, 'a')};
    for (const std::string& name : valid) {
        CAPTURE(name);
        CHECK_NOTHROW(require_field_name(name));
    }
    const std::string invalid[] = {"",    "Channel", "2fast", "_private",           "a-b",    "a b",
                                   "a.b", "veld_é",  "a\n",   std::string(65, 'a'), "CHANNEL"};
    for (const std::string& name : invalid) {
        CAPTURE(name);
        CHECK_THROWS_AS(require_field_name(name), InvalidInput);
    }
    try {
        require_field_name("Bad-Name");
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        const std::string message = e.what();
        CHECK(contains(message, "'Bad-Name' is not a field name"));
        CHECK(contains(message, "lower-case letters, digits and '_'"));
    }
}
