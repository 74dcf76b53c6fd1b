#include "submit_from.hpp"

#include "sileram/commands/common.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/intake/csv_reader.hpp"
#include "sileram/intake/jsonl_reader.hpp"
#include "sileram/intake/rows.hpp"
#include "sileram/output/format.hpp"
#include "sileram/output/import.hpp"
#include "sileram/output/rejects.hpp"
#include "sileram/output/terminal.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
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

struct Counts {
    std::int64_t rows = 0;
    std::int64_t added = 0;
    std::int64_t skipped = 0;
    std::int64_t rejected = 0;
    domain::SignalId first_id = 0;
    domain::SignalId last_id = 0;
};

// Seconds spent in one phase, in pieces.
class PhaseStopwatch {
public:
    void start() { m_started = Clock::now(); }
    void stop() { m_seconds += std::chrono::duration<double>(Clock::now() - m_started).count(); }
    double seconds() const { return m_seconds; }

private:
    Clock::time_point m_started;
    double m_seconds = 0;
};

// The file or standard input an import reads.
struct ImportInput {
    std::ifstream file;
    std::uint64_t total_bytes = 0; // 0 when unknown
    std::string source;            // how messages name it

    std::istream& stream() { return file.is_open() ? static_cast<std::istream&>(file) : std::cin; }
};

void note_unknown(Session& session, const std::vector<std::string>& unknown) {
    if (!unknown.empty() && !session.quiet()) {
        session.err() << fmt::format(
            "sileram: note: ignoring column{} that feed no field: {}\n",
            unknown.size() == 1 ? "" : "s",
            domain::printable(fmt::format("{}", fmt::join(unknown, ", ")), domain::Lines::single));
    }
}

void open_input(const ImportOptions& options, ImportInput& input) {
    input.source = options.from == "-" ? "standard input" : options.from;
    if (options.from == "-") {
        return;
    }
    std::error_code ec;
    if (fs::is_directory(options.from, ec)) {
        throw InvalidInput(fmt::format("--from {} is a folder; give a file", options.from));
    }
    input.file.open(options.from, std::ios::binary);
    if (!input.file) {
        throw InvalidInput(
            fmt::format("--from {}: cannot read it: {}", options.from, std::strerror(errno)));
    }
    if (fs::is_regular_file(options.from, ec)) {
        input.total_bytes = fs::file_size(options.from, ec);
    }
}

std::unique_ptr<intake::RecordReader> open_reader(InputFormat format, ImportInput& input) {
    try {
        if (format == InputFormat::csv) {
            return std::make_unique<intake::CsvReader>(input.stream());
        }
        return std::make_unique<intake::JsonLinesReader>(input.stream());
    } catch (const InvalidInput& e) {
        throw InvalidInput(fmt::format("{}: {}", input.source, e.what()));
    }
}

// A CSV header is known at once: every --map must name one of its columns, and one must hold
// the titles.
void plan_csv_columns(Session& session, intake::ColumnPlan& plan,
                      const intake::RecordReader& reader, const std::string& source) {
    plan.require_mapped_columns(reader.columns());
    note_unknown(session, plan.update(reader.columns()));
    const auto& columns = plan.columns();
    const std::string title_column = plan.column_of("title");
    if (std::find(columns.begin(), columns.end(), title_column) == columns.end()) {
        throw InvalidInput(fmt::format("{}: there is no column {}; name the column that holds "
                                       "the titles with --map title=COLUMN (columns: {})",
                                       source, title_column, fmt::join(columns, ", ")));
    }
}

// The rows of one import: each read, checked, and then added, skipped or refused.
class RowImport {
public:
    RowImport(Session& session, intake::RecordReader& reader, intake::ColumnPlan& plan,
              const intake::RowRules& rules, std::string source,
              std::optional<output::RejectsFile>& rejects)
        : m_session(session), m_reader(reader), m_plan(plan), m_rules(rules),
          m_source(std::move(source)), m_rejects(rejects), m_stamp(session.stamp()) {}

    // Reads every row and adds the valid ones to `bulk`; rows are only checked after the first
    // invalid one of an all-or-nothing import.
    void run(storage::BulkInsert& bulk, std::uint64_t total_bytes) {
        output::ImportProgress progress(!m_session.quiet() &&
                                            output::detect_terminal(STDERR_FILENO).is_tty,
                                        m_session.err(), total_bytes);
        m_read_and_check.start();
        while (read_next()) {
            ++m_counts.rows;
            if (m_reader.columns().size() > m_plan.columns().size()) {
                note_unknown(m_session, m_plan.update(m_reader.columns()));
            }
            intake::CheckedRow checked = intake::check_row(m_record, m_plan, m_rules);
            m_read_and_check.stop();
            if (!checked.problems.empty()) {
                refuse(checked.problems);
            } else if (m_counts.rejected == 0 || m_rejects) {
                add(bulk, domain::new_checked_signal(std::move(checked.signal), m_stamp));
            }
            progress.update(m_counts.rows, m_reader.bytes_read());
            m_read_and_check.start();
        }
        m_read_and_check.stop();
        progress.clear();
    }

    // Throws InvalidInput listing the first problems when an all-or-nothing import met any.
    void require_all_valid() const {
        if (m_counts.rejected == 0 || m_rejects) {
            return;
        }
        throw InvalidInput(fmt::format(
            "{}: nothing imported: {} of {} rows {} invalid{}:\n{}\nCorrect {}, or import the "
            "valid rows with --skip-invalid REJECTS_FILE",
            m_source, m_counts.rejected, m_counts.rows, m_counts.rejected == 1 ? "is" : "are",
            m_listed.size() < static_cast<std::size_t>(m_counts.rejected)
                ? fmt::format(" (the first {} problems)", m_listed.size())
                : "",
            fmt::join(m_listed, "\n"), m_counts.rejected == 1 ? "it" : "them"));
    }

    const Counts& counts() const { return m_counts; }
    double read_and_check_seconds() const { return m_read_and_check.seconds(); }

private:
    // A reader stops at a file too broken to go on (a quote never closed, a line over its cap);
    // the transaction then imports nothing, also with --skip-invalid.
    bool read_next() {
        try {
            return m_reader.next(m_record);
        } catch (const InvalidInput& e) {
            throw InvalidInput(fmt::format("{}: nothing imported: {}", m_source, e.what()));
        }
    }

    void refuse(const std::vector<intake::Problem>& problems) {
        ++m_counts.rejected;
        if (m_rejects && m_rejects->format() == output::RejectsFormat::csv) {
            m_rejects->write_csv(m_record.values, m_plan.columns(), m_record.row,
                                 reasons(problems));
        } else if (m_rejects) {
            m_rejects->write_json_line(m_record.raw, m_record.row, reasons(problems));
        } else {
            for (const auto& p : problems) {
                if (m_listed.size() < k_listed_problems) {
                    m_listed.push_back(fmt::format("  row {}, {}", m_record.row, describe(p)));
                }
            }
        }
    }

    void add(storage::BulkInsert& bulk, domain::Signal signal) {
        if (m_session.config().mail.acknowledge) {
            domain::acknowledge(signal, signal.submitted_by,
                                m_session.config().targets.first_response_days, m_stamp);
        }
        if (!bulk.add(signal)) {
            ++m_counts.skipped;
            return;
        }
        ++m_counts.added;
        m_counts.first_id = m_counts.first_id == 0 ? signal.id : m_counts.first_id;
        m_counts.last_id = signal.id;
    }

    Session& m_session;
    intake::RecordReader& m_reader;
    intake::ColumnPlan& m_plan;
    const intake::RowRules& m_rules;
    std::string m_source;
    std::optional<output::RejectsFile>& m_rejects;
    domain::Stamp m_stamp;
    intake::Record m_record;
    Counts m_counts;
    std::vector<std::string> m_listed; // the first problems, for an all-or-nothing refusal
    PhaseStopwatch m_read_and_check;
};

void print_summary(Session& session, const ImportOptions& options, const std::string& source,
                   const Counts& counts) {
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

} // namespace

void submit_from(Session& session, const ImportOptions& options) {
    if (options.by) {
        domain::require_email(*options.by, "--by");
    }
    ImportInput input;
    open_input(options, input);
    const InputFormat format = choose_format(options, input.stream());
    intake::ColumnPlan plan(options.maps, session.config().fields);
    const std::unique_ptr<intake::RecordReader> reader = open_reader(format, input);
    if (format == InputFormat::csv) {
        plan_csv_columns(session, plan, *reader, input.source);
    }
    storage::Store& store = session.store(storage::Access::write);
    const std::vector<domain::Project> projects = store.reports().all_projects();
    const intake::RowRules rules{options.by, session.config().fields, projects};
    std::optional<output::RejectsFile> rejects;
    if (options.skip_invalid) {
        rejects.emplace(*options.skip_invalid, format == InputFormat::csv
                                                   ? output::RejectsFormat::csv
                                                   : output::RejectsFormat::jsonl);
    }
    RowImport rows(session, *reader, plan, rules, input.source, rejects);
    std::vector<output::ImportPhase> phases;
    PhaseStopwatch commit;
    store.prepare_bulk_write();
    {
        storage::WriteTransaction transaction(store);
        const auto bulk = store.bulk_insert();
        rows.run(*bulk, input.total_bytes);
        rows.require_all_valid();
        if (rejects) {
            rejects->close();
        }
        bulk->finish();
        phases.push_back({"read and check", rows.read_and_check_seconds()});
        for (const storage::BulkPhase& phase : bulk->phases()) {
            phases.push_back({phase.name, phase.seconds, phase.beside});
        }
        commit.start();
        transaction.commit();
        commit.stop();
    }
    if (rejects) {
        rejects->publish();
    }
    PhaseStopwatch checkpoint;
    checkpoint.start();
    store.checkpoint();
    checkpoint.stop();
    print_summary(session, options, input.source, rows.counts());
    if (options.timings) {
        phases.push_back({"commit", commit.seconds()});
        phases.push_back({"checkpoint", checkpoint.seconds()});
        session.err() << output::phase_lines(phases);
    }
}

} // namespace sileram::commands
