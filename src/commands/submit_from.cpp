#include "submit_from.hpp"

#include "sileram/commands/common.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/intake/csv_reader.hpp"
#include "sileram/intake/jsonl_reader.hpp"
#include "sileram/intake/rows.hpp"
#include "sileram/output/csv.hpp"
#include "sileram/output/format.hpp"
#include "sileram/output/terminal.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace sileram::commands {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

enum class InputFormat { csv, jsonl };

// How many invalid rows an all-or-nothing refusal lists.
constexpr std::size_t k_listed_problems = 10;

InputFormat choose_format(const ImportOptions& options, std::istream& in) {
    if (options.format) {
        if (*options.format == "csv") {
            return InputFormat::csv;
        }
        if (*options.format == "jsonl") {
            return InputFormat::jsonl;
        }
        throw InvalidInput(fmt::format("--format {} is not a format; use csv or jsonl",
                                       domain::quote_value(*options.format)));
    }
    if (options.from != "-") {
        std::string ext = fs::path(options.from).extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (ext == ".csv" || ext == ".txt") {
            return InputFormat::csv;
        }
        if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") {
            return InputFormat::jsonl;
        }
        throw InvalidInput(fmt::format("cannot tell the format of {} from its name; give "
                                       "--format csv or --format jsonl",
                                       options.from));
    }
    // Standard input: JSON lines start with an object; anything else is read as CSV.
    for (;;) {
        const int c = in.peek();
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB ||
            c == 0xBF) {
            if (c >= 0x80) {
                return InputFormat::csv; // a byte order mark: CSV from a spreadsheet, most likely
            }
            in.get();
            continue;
        }
        return c == '{' ? InputFormat::jsonl : InputFormat::csv;
    }
}

// Shows rows, rows per second and the share of the file read, on a terminal only.
class Progress {
public:
    Progress(bool enabled, std::ostream& err, std::uint64_t total_bytes)
        : m_enabled(enabled), m_err(err), m_total(total_bytes), m_start(Clock::now()),
          m_last(m_start) {}

    void update(std::int64_t rows, std::uint64_t bytes) {
        if (!m_enabled || (rows & 1023) != 0) {
            return;
        }
        const auto now = Clock::now();
        if (now - m_last < std::chrono::milliseconds(250)) {
            return;
        }
        m_last = now;
        const double seconds = std::chrono::duration<double>(now - m_start).count();
        std::string line = fmt::format(
            "\r{} rows, {} rows/s", output::group_thousands(std::to_string(rows)),
            output::group_thousands(std::to_string(static_cast<std::int64_t>(rows / seconds))));
        if (m_total > 0) {
            line += fmt::format(", {:.0f}%",
                                100.0 * static_cast<double>(bytes) / static_cast<double>(m_total));
        }
        m_err << line << "\x1b[K" << std::flush;
        m_shown = true;
    }

    void clear() {
        if (m_shown) {
            m_err << "\r\x1b[K" << std::flush;
            m_shown = false;
        }
    }

private:
    bool m_enabled;
    std::ostream& m_err;
    std::uint64_t m_total;
    Clock::time_point m_start;
    Clock::time_point m_last;
    bool m_shown = false;
};

std::string describe(const intake::Problem& p) {
    return p.column.empty() ? p.reason : fmt::format("column {}: {}", p.column, p.reason);
}

std::string reasons(const std::vector<intake::Problem>& problems) {
    std::string text;
    for (const auto& p : problems) {
        text += (text.empty() ? "" : "; ") + describe(p);
    }
    return text;
}

// The rejected rows, written to FILE.part and moved to FILE once the import has committed; a
// FILE that exists and is no regular file (a pipe, /dev/stdout) is written directly, as there
// is nothing to move. A write that fails (a full disk) stops the import before it commits.
class Rejects {
public:
    Rejects(const std::string& file, InputFormat format)
        : m_file(file), m_format(format), m_direct(is_special(file)),
          m_part(m_direct ? m_file : fs::path(file + ".part")) {
        m_fd = ::open(m_part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (m_fd < 0) {
            throw InvalidInput(fmt::format("--skip-invalid {}: cannot write {}: {}", file,
                                           m_part.string(), std::strerror(errno)));
        }
    }
    ~Rejects() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        if (!m_done && !m_direct) {
            std::error_code ignored;
            fs::remove(m_part, ignored);
        }
    }
    Rejects(const Rejects&) = delete;
    Rejects& operator=(const Rejects&) = delete;

    void write(const intake::Record& record, const std::vector<std::string>& columns,
               const std::string& reason) {
        if (m_format == InputFormat::csv) {
            if (!m_header_written) {
                std::vector<std::string> header = columns;
                header.emplace_back("row");
                header.emplace_back("reason");
                m_pending += output::csv_record(header);
                m_header_written = true;
            }
            std::vector<std::string> fields = record.values;
            fields.resize(std::max(fields.size(), columns.size()));
            fields.push_back(std::to_string(record.row));
            fields.push_back(reason);
            m_pending += output::csv_record(fields);
        } else {
            nlohmann::ordered_json line;
            try {
                line = nlohmann::ordered_json::parse(record.raw);
            } catch (const nlohmann::json::exception&) {
                line = nlohmann::ordered_json::object();
            }
            if (!line.is_object()) {
                line = nlohmann::ordered_json{{"line", record.raw}};
            } else if (line.empty() && !record.raw.empty()) {
                line["line"] = record.raw;
            }
            line["row"] = record.row;
            line["reason"] = reason;
            m_pending +=
                line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
            m_pending += '\n';
        }
        if (m_pending.size() >= k_flush_bytes) {
            flush();
        }
    }

    // Writes out and closes the file, on disk for a regular one; throws TemporaryFailure naming
    // the file and the system's reason when that fails.
    void close() {
        flush();
        if (!m_direct && ::fsync(m_fd) != 0) {
            fail();
        }
        const int fd = m_fd;
        m_fd = -1;
        if (::close(fd) != 0) {
            fail();
        }
    }

    // After the commit: FILE.part becomes FILE.
    void publish() {
        m_done = true;
        if (m_direct) {
            return;
        }
        std::error_code ec;
        fs::rename(m_part, m_file, ec);
        if (ec) {
            throw SystemFailure(fmt::format("the valid rows were imported, but the rejected rows "
                                            "stay in {}: cannot move it to {}: {}",
                                            m_part.string(), m_file.string(), ec.message()));
        }
    }

private:
    static constexpr std::size_t k_flush_bytes = 64 * 1024;

    static bool is_special(const std::string& file) {
        std::error_code ec;
        const fs::file_status status = fs::status(file, ec);
        return !ec && fs::exists(status) && !fs::is_regular_file(status);
    }

    void flush() {
        std::size_t done = 0;
        while (done < m_pending.size()) {
            const ssize_t n = ::write(m_fd, m_pending.data() + done, m_pending.size() - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                fail();
            }
            done += static_cast<std::size_t>(n);
        }
        m_pending.clear();
    }

    [[noreturn]] void fail() const {
        throw TemporaryFailure(fmt::format("--skip-invalid {}: cannot write the rejected rows to "
                                           "{}: {}; nothing imported",
                                           m_file.string(), m_part.string(), std::strerror(errno)));
    }

    fs::path m_file;
    InputFormat m_format;
    bool m_direct;
    fs::path m_part;
    int m_fd = -1;
    std::string m_pending;
    bool m_header_written = false;
    bool m_done = false;
};

struct Counts {
    std::int64_t rows = 0;
    std::int64_t added = 0;
    std::int64_t skipped = 0;
    std::int64_t rejected = 0;
    domain::SignalId first_id = 0;
    domain::SignalId last_id = 0;
};

void note_unknown(Session& session, const std::vector<std::string>& unknown) {
    if (!unknown.empty() && !session.quiet()) {
        session.err() << fmt::format(
            "sileram: note: ignoring column{} that feed no field: {}\n",
            unknown.size() == 1 ? "" : "s",
            domain::printable(fmt::format("{}", fmt::join(unknown, ", ")), domain::Lines::single));
    }
}

} // namespace

void submit_from(Session& session, const ImportOptions& options) {
    if (options.by) {
        domain::require_email(*options.by, "--by");
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    std::uint64_t total_bytes = 0;
    if (options.from != "-") {
        std::error_code ec;
        if (fs::is_directory(options.from, ec)) {
            throw InvalidInput(fmt::format("--from {} is a folder; give a file", options.from));
        }
        file.open(options.from, std::ios::binary);
        if (!file) {
            throw InvalidInput(
                fmt::format("--from {}: cannot read it: {}", options.from, std::strerror(errno)));
        }
        in = &file;
        if (fs::is_regular_file(options.from, ec)) {
            total_bytes = fs::file_size(options.from, ec);
        }
    }
    const InputFormat format = choose_format(options, *in);
    const std::string source = options.from == "-" ? "standard input" : options.from;

    intake::ColumnPlan plan(options.maps, session.config().fields);
    std::unique_ptr<intake::RecordReader> reader;
    try {
        if (format == InputFormat::csv) {
            reader = std::make_unique<intake::CsvReader>(*in);
        } else {
            reader = std::make_unique<intake::JsonLinesReader>(*in);
        }
    } catch (const InvalidInput& e) {
        throw InvalidInput(fmt::format("{}: {}", source, e.what()));
    }
    if (format == InputFormat::csv) {
        plan.require_mapped_columns(reader->columns());
        note_unknown(session, plan.update(reader->columns()));
        const auto& columns = plan.columns();
        const std::string title_column = plan.column_of("title");
        if (std::find(columns.begin(), columns.end(), title_column) == columns.end()) {
            throw InvalidInput(fmt::format("{}: there is no column {}; name the column that holds "
                                           "the titles with --map title=COLUMN (columns: {})",
                                           source, title_column, fmt::join(columns, ", ")));
        }
    }
    const intake::RowRules rules{options.by, session.config().fields};
    const domain::Stamp stamp = session.stamp();

    std::optional<Rejects> rejects;
    if (options.skip_invalid) {
        rejects.emplace(*options.skip_invalid, format);
    }
    storage::Store& store = session.store(storage::Access::write);
    Counts counts;
    std::vector<std::string> listed; // the first problems, for an all-or-nothing refusal
    store.prepare_bulk_write();
    {
        storage::WriteTransaction transaction(store);
        const auto bulk = store.bulk_insert();
        Progress progress(!session.quiet() && output::detect_terminal(STDERR_FILENO).is_tty,
                          session.err(), total_bytes);
        intake::Record record;
        // A reader stops at a file too broken to go on (a quote never closed, a line over its
        // cap); the transaction then imports nothing, also with --skip-invalid.
        const auto read_next = [&] {
            try {
                return reader->next(record);
            } catch (const InvalidInput& e) {
                throw InvalidInput(fmt::format("{}: nothing imported: {}", source, e.what()));
            }
        };
        while (read_next()) {
            ++counts.rows;
            if (reader->columns().size() > plan.columns().size()) {
                note_unknown(session, plan.update(reader->columns()));
            }
            intake::CheckedRow checked = intake::check_row(record, plan, rules);
            domain::Signal signal;
            if (checked.problems.empty()) {
                try {
                    signal = domain::new_signal(std::move(checked.signal), stamp);
                } catch (const InvalidInput& e) {
                    checked.problems.push_back(intake::Problem{{}, e.what()});
                }
            }
            if (!checked.problems.empty()) {
                ++counts.rejected;
                if (rejects) {
                    rejects->write(record, plan.columns(), reasons(checked.problems));
                } else {
                    for (const auto& p : checked.problems) {
                        if (listed.size() < k_listed_problems) {
                            listed.push_back(fmt::format("  row {}, {}", record.row, describe(p)));
                        }
                    }
                }
            } else if (counts.rejected == 0 || rejects) {
                // After the first invalid row of an all-or-nothing import, rows are only checked.
                if (session.config().mail.acknowledge) {
                    domain::acknowledge(signal, signal.submitted_by,
                                        session.config().targets.first_response_days, stamp);
                }
                if (bulk->add(signal)) {
                    ++counts.added;
                    counts.first_id = counts.first_id == 0 ? signal.id : counts.first_id;
                    counts.last_id = signal.id;
                } else {
                    ++counts.skipped;
                }
            }
            progress.update(counts.rows, reader->bytes_read());
        }
        progress.clear();
        if (counts.rejected > 0 && !rejects) {
            throw InvalidInput(fmt::format(
                "{}: nothing imported: {} of {} rows {} invalid{}:\n{}\nCorrect {}, or import the "
                "valid rows with --skip-invalid REJECTS_FILE",
                source, counts.rejected, counts.rows, counts.rejected == 1 ? "is" : "are",
                listed.size() < static_cast<std::size_t>(counts.rejected)
                    ? fmt::format(" (the first {} problems)", listed.size())
                    : "",
                fmt::join(listed, "\n"), counts.rejected == 1 ? "it" : "them"));
        }
        if (rejects) {
            rejects->close();
        }
        bulk->finish();
        transaction.commit();
    }
    if (rejects) {
        rejects->publish();
    }
    store.checkpoint();

    if (session.json()) {
        print_json(session,
                   {{"rows", counts.rows},
                    {"new", counts.added},
                    {"skipped", counts.skipped},
                    {"rejected", counts.rejected},
                    {"first_id", counts.first_id == 0 ? nlohmann::ordered_json(nullptr)
                                                      : nlohmann::ordered_json(counts.first_id)},
                    {"last_id", counts.last_id == 0 ? nlohmann::ordered_json(nullptr)
                                                    : nlohmann::ordered_json(counts.last_id)},
                    {"rejects", options.skip_invalid ? nlohmann::ordered_json(*options.skip_invalid)
                                                     : nlohmann::ordered_json(nullptr)}});
    } else if (!session.quiet()) {
        session.out() << fmt::format(
            "{}: {} new, {} skipped (external id known), {} rejected{}\n", source,
            output::group_thousands(std::to_string(counts.added)),
            output::group_thousands(std::to_string(counts.skipped)),
            output::group_thousands(std::to_string(counts.rejected)),
            counts.rejected > 0 ? fmt::format(" (written to {})", *options.skip_invalid) : "");
    }
}

} // namespace sileram::commands
