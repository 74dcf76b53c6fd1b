#include "sileram/errors.hpp"
#include "sileram/output/rejects.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace sileram::output;
namespace fs = std::filesystem;

namespace {

std::string read_whole(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A folder of its own for each test, removed afterwards.
struct RejectsFolder {
    fs::path path = fs::temp_directory_path() / ("sileram-rejects-" + std::to_string(::getpid()));
    RejectsFolder() { fs::create_directories(path); }
    ~RejectsFolder() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

} // namespace

TEST_CASE("rejected CSV rows appear under their header only once published") {
    RejectsFolder folder;
    const fs::path file = folder.path / "rejects.csv";
    {
        RejectsFile rejects(file.string(), RejectsFormat::csv);
        rejects.write_csv({"", "a@b.nl"}, {"title", "submitted_by", "channel"}, 2,
                          "column title: empty");
        rejects.close();
        CHECK_FALSE(fs::exists(file));
        CHECK(fs::exists(file.string() + ".part"));
        rejects.publish();
    }
    CHECK_FALSE(fs::exists(file.string() + ".part"));
    CHECK(read_whole(file) == "title,submitted_by,channel,row,reason\r\n"
                              ",a@b.nl,,2,column title: empty\r\n");
}

TEST_CASE("rejected JSON lines keep their object, or the line itself, with row and reason") {
    RejectsFolder folder;
    const fs::path file = folder.path / "rejects.jsonl";
    {
        RejectsFile rejects(file.string(), RejectsFormat::jsonl);
        rejects.write_json_line(R"({"title":""})", 3, "empty");
        rejects.write_json_line("[1]", 4, "no object");
        rejects.close();
        rejects.publish();
    }
    CHECK(read_whole(file) == "{\"title\":\"\",\"row\":3,\"reason\":\"empty\"}\n"
                              "{\"line\":\"[1]\",\"row\":4,\"reason\":\"no object\"}\n");
}

TEST_CASE("rejects of an import that does not commit leave no file behind") {
    RejectsFolder folder;
    const fs::path file = folder.path / "rejects.csv";
    {
        RejectsFile rejects(file.string(), RejectsFormat::csv);
        rejects.write_csv({"x"}, {"title"}, 2, "bad");
    }
    CHECK_FALSE(fs::exists(file));
    CHECK_FALSE(fs::exists(file.string() + ".part"));
    CHECK_THROWS_AS(RejectsFile((folder.path / "no" / "such.csv").string(), RejectsFormat::csv),
                    sileram::InvalidInput);
}
