#include "sileram/output/import.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace sileram::output;

TEST_CASE("the progress text names rows, their rate and the share of the file read") {
    CHECK(progress_text(12288, 2.0, 300, 1000) == "12,288 rows, 6,144 rows/s, 30%");
    CHECK(progress_text(1024, 0.5, 300, 0) == "1,024 rows, 2,048 rows/s");
    CHECK(progress_text(0, 0.0, 0, 0) == "0 rows, 0 rows/s");
}

TEST_CASE("a progress line off a terminal draws nothing and clears nothing") {
    std::ostringstream err;
    ImportProgress progress(false, err, 100);
    for (std::int64_t rows = 1; rows <= 4096; ++rows) {
        progress.update(rows, 50);
    }
    progress.clear();
    CHECK(err.str().empty());
}

TEST_CASE("the phases of an import are printed one a line, aligned, with their total") {
    const std::string text = phase_lines({{"read and check", 1.5}, {"insert", 2.25}});
    CHECK(text == "read and check:      1.50 s\n"
                  "insert:              2.25 s\n"
                  "total:               3.75 s\n");
}

TEST_CASE("a phase on a thread of its own is printed after the total, which it is no part of") {
    const std::string text =
        phase_lines({{"insert", 2.25}, {"full-text (thread)", 3.5, true}, {"indexes", 1.0}});
    CHECK(text == "insert:                  2.25 s\n"
                  "indexes:                 1.00 s\n"
                  "total:                   3.25 s\n"
                  "full-text (thread):      3.50 s  (beside the others)\n");
}
