#include "sileram/storage/copy.hpp"

#include "sileram/errors.hpp"
#include "sileram/storage/store.hpp"

#include <fmt/format.h>

namespace sileram::storage {

namespace {

// Ends the source's read snapshot however the copy ends.
class SnapshotGuard {
public:
    explicit SnapshotGuard(Store& store) : m_store(store) { m_store.begin_snapshot(); }
    ~SnapshotGuard() {
        try {
            m_store.rollback();
        } catch (...) {
            // A read transaction has nothing to lose; the error that got us here matters more.
        }
    }
    SnapshotGuard(const SnapshotGuard&) = delete;
    SnapshotGuard& operator=(const SnapshotGuard&) = delete;

private:
    Store& m_store;
};

// Runs `work` on one table; an error names the table, keeping its kind and so its exit code.
template <typename Work>
void naming_table(const CopiedTable& table, const std::string& target_name, Work&& work) {
    const auto where = [&](const Error& e) {
        return fmt::format("copying the table {} into {}: {}", table.name, target_name, e.what());
    };
    try {
        work();
    } catch (const InvalidInput& e) {
        throw InvalidInput(where(e));
    } catch (const TemporaryFailure& e) {
        throw TemporaryFailure(where(e));
    } catch (const SystemFailure& e) {
        throw SystemFailure(where(e));
    } catch (const Refused& e) {
        throw Refused(where(e));
    }
}

} // namespace

CopyCount copy_into(Store& source, Store& target, const std::string& target_name) {
    // Both sides were opened by this build, which migrates an older schema on open; a difference
    // here means a database changed underneath, and rows would not fit their columns.
    const int source_version = source.schema_version();
    const int target_version = target.schema_version();
    if (source_version != current_schema_version() || target_version != source_version) {
        throw Refused(fmt::format("the source has schema version {} and {} has {}; both must "
                                  "have version {}. Open each with this sileram first "
                                  "(`sileram init --db DATABASE` migrates it)",
                                  source_version, target_name, target_version,
                                  current_schema_version()));
    }
    target.prepare_bulk_write();
    CopyCount count;
    {
        SnapshotGuard snapshot(source);
        WriteTransaction transaction(target);
        target.begin_copy();
        for (const CopiedTable& table : k_copied_tables) {
            if (target.has_rows(table)) {
                throw Refused(fmt::format(
                    "{} is not empty: its table {} holds rows. `copy` writes only into an empty "
                    "database (a new SQLite file, a PostgreSQL database without the schema "
                    "sileram, or one just made by `sileram init`)",
                    target_name, table.name));
            }
        }
        for (const CopiedTable& table : k_copied_tables) {
            naming_table(table, target_name, [&] {
                auto writer = target.write_rows(table);
                source.read_rows(table, [&](const Row& row) {
                    writer->add(row);
                    ++count.rows;
                    if (table.name == "signals") {
                        ++count.signals;
                    }
                });
                writer->finish();
            });
        }
        target.finish_copy();
        transaction.commit();
    }
    target.checkpoint();
    return count;
}

CopyCount copy_database(const std::filesystem::path& source, const std::filesystem::path& target) {
    const std::string source_name = display_name(source);
    const std::string target_name = display_name(target);
    if (source_name == target_name ||
        (!is_database_uri(source.string()) && !is_database_uri(target.string()) &&
         std::filesystem::exists(target) && std::filesystem::equivalent(source, target))) {
        throw InvalidInput(fmt::format("{} is both the source and the target of the copy; give "
                                       "another target",
                                       source_name));
    }
    if (!database_exists(source)) {
        throw Refused(fmt::format("no database at {}; there is nothing to copy", source_name));
    }
    auto from = open_store(source, Access::read);
    if (!is_database_uri(target.string()) && !std::filesystem::exists(target)) {
        return write_sqlite_snapshot(*from, target).copied;
    }
    auto into = open_store(target, Access::write);
    return copy_into(*from, *into, target_name);
}

} // namespace sileram::storage
