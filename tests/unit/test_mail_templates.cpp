#include "sileram/errors.hpp"
#include "sileram/mail/content.hpp"
#include "sileram/mail/templates.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace sileram::mail;
using sileram::InvalidInput;
using Json = nlohmann::json;
namespace domain = sileram::domain;

TEST_CASE("render_template fills values as plain text, without HTML escaping") {
    const Json values{{"title", "Bills & <invoices> \"é\""},
                      {"signal", {{"id", 7}}},
                      {"yes", true},
                      {"no", false},
                      {"items", Json::array({Json{{"t", "a"}}, Json{{"t", "b"}}})}};
    CHECK(render_template("{{title}} #{{signal.id}}", values) == "Bills & <invoices> \"é\" #7");
    CHECK(render_template("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}n{{/no}}", values) == "Yn");
    CHECK(render_template("{{#items}}[{{t}}]{{/items}}", values) == "[a][b]");
    CHECK(render_template("{{missing}}!", values) == "!");
}

TEST_CASE("a template that does not parse is refused with its name") {
    try {
        (void)render_template("{{#open}} never closed", Json::object(), "closed.mustache");
        FAIL("no exception");
    } catch (const InvalidInput& e) {
        CHECK(std::string(e.what()).find("closed.mustache") != std::string::npos);
    }
    CHECK_THROWS_AS(render_mail("no subject line\n\nbody", Json::object(), "x"), InvalidInput);
}

TEST_CASE("render_mail splits the subject line off and flattens line breaks in it") {
    const Json values{{"summary", "line one\nline two\r\nBcc: evil@example.org"}};
    const RenderedMail mail =
        render_mail("Subject: Done: {{summary}}\n\nSummary:\n{{summary}}\n", values, "t");
    CHECK(mail.subject == "Done: line one line two  Bcc: evil@example.org");
    CHECK(mail.body == "Summary:\nline one\nline two\r\nBcc: evil@example.org\n");
}

TEST_CASE("every built-in template renders and has a subject") {
    for (const auto outcome :
         {domain::Outcome::closed, domain::Outcome::rejected, domain::Outcome::dropped,
          domain::Outcome::duplicate, domain::Outcome::progress, domain::Outcome::acknowledged,
          domain::Outcome::needs_info}) {
        const RenderedMail mail =
            render_mail(builtin_template(outcome), Json::object(), "built-in");
        CHECK(!mail.subject.empty());
        CHECK(mail.body.find("Hello,") == 0);
    }
}

TEST_CASE("the closed mail names the signal, the actions, the result and thanks") {
    domain::Signal s;
    s.id = 12;
    s.title = "De factuur is onduidelijk";
    s.state = domain::State::closed;
    s.step = 10;
    s.submitted_at = domain::parse_timestamp("2026-11-02T09:00:00Z").value();
    s.closing_summary = "Nieuwe factuur sinds januari";
    s.impact =
        domain::Impact{12000, 4, domain::Decimal::from_whole(10), domain::Decimal::parse("6.9")};
    domain::Action action;
    action.number = 1;
    action.title = "Nieuwe factuurlayout";
    action.owner = "billing";
    action.status = domain::ActionStatus::done;
    s.actions.push_back(action);
    s.measurements.push_back(domain::Measurement{1, 7000, domain::Decimal::parse("7.2"), "", {}});
    domain::Feedback f;
    f.id = 3;
    f.recipient = "agent1@example.nl";
    f.outcome = domain::Outcome::closed;
    f.queued_at = s.submitted_at;
    const domain::ImpactSettings settings;
    const Mailbox from{"Klantsignalen", "signalen@example.org"};
    const Message m =
        compose(s, f, Templates(), from, settings, domain::parse_timestamp("2026-12-01").value());
    CHECK(m.subject == "Your signal 12 is closed: De factuur is onduidelijk");
    for (const char* needle :
         {"On 2026-11-02 you raised signal 12", "Nieuwe factuur sinds januari",
          "- Nieuwe factuurlayout (billing): done",
          "5,000 fewer customer contacts per month (12,000 before, 7,000 after)",
          "EUR 50,000.00 saved per month, EUR 600,000.00 a year",
          "customer satisfaction 6.90 before, 7.20 after (+0.30)", "Thank you", "Klantsignalen"}) {
        CHECK_MESSAGE(m.body.find(needle) != std::string::npos, needle);
    }
    // A new Message-ID has a random part, so two databases never give the same one; a mail
    // that has one from an earlier attempt keeps it.
    CHECK(m.message_id.rfind("sileram.12.3.", 0) == 0);
    CHECK(m.message_id.find("@example.org") != std::string::npos);
    CHECK(m.message_id.size() == std::string("sileram.12.3.0123456789abcdef@example.org").size());
    const Message again =
        compose(s, f, Templates(), from, settings, domain::parse_timestamp("2026-12-01").value());
    CHECK(again.message_id != m.message_id);
    CHECK(new_message_id(12, 3, "signalen@example.org") != new_message_id(12, 3, "x@example.org"));
    f.message_id = m.message_id;
    const Message retry =
        compose(s, f, Templates(), from, settings, domain::parse_timestamp("2026-12-02").value());
    CHECK(retry.message_id == m.message_id);
}

TEST_CASE("a merged submitter reads their own signal; a question and a day to hear by go in") {
    domain::Signal s;
    s.id = 12;
    s.title = "De factuur is onduidelijk";
    s.submitted_at = domain::parse_timestamp("2026-11-02T09:00:00Z").value();
    s.closing_summary = "Nieuwe factuur sinds januari";
    domain::Feedback f;
    f.id = 3;
    f.recipient = "agent2@example.nl";
    f.outcome = domain::Outcome::closed;
    const domain::ImpactSettings settings;
    const Mailbox from{"Klantsignalen", "signalen@example.org"};
    const auto now = domain::parse_timestamp("2026-12-01").value();
    const OwnSignal own{14, "Factuur snap ik niet",
                        domain::parse_timestamp("2026-11-05T23:00:00Z").value()};
    const Message merged = compose(s, f, Templates(), from, settings, now, own);
    CHECK(merged.body.find("On 2026-11-05 you raised signal 14: \"Factuur snap ik niet\".") !=
          std::string::npos);
    CHECK(merged.body.find("It was merged into signal 12: \"De factuur is onduidelijk\"") !=
          std::string::npos);
    CHECK(merged.body.find("On 2026-11-02") == std::string::npos);
    const Message plain = compose(s, f, Templates(), from, settings, now);
    CHECK(plain.body.find("On 2026-11-02 you raised signal 12") != std::string::npos);
    CHECK(plain.body.find("merged") == std::string::npos);

    f.outcome = domain::Outcome::needs_info;
    f.question = 1;
    f.detail = "Welke factuur?";
    const Message question = compose(s, f, Templates(), from, settings, now);
    CHECK(question.subject == "A question about your signal 12: De factuur is onduidelijk");
    CHECK(question.body.find("\nWelke factuur?\n") != std::string::npos);

    f.outcome = domain::Outcome::acknowledged;
    f.detail = "2026-12-06";
    const Message ack = compose(s, f, Templates(), from, settings, now);
    CHECK(ack.subject == "Your signal 12 has arrived: De factuur is onduidelijk");
    CHECK(ack.body.find("You will hear from us by 2026-12-06.") != std::string::npos);
}
