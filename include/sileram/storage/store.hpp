#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/summary.hpp"
#include "sileram/storage/reports.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sileram::storage {

using domain::SignalSummary;

enum class SortKey { id, title, state, step, submitted_at, updated_at, score, contacts };
enum class SortOrder { ascending, descending };

// The filters of `list`; each one that is set narrows the result.
struct ListQuery {
    std::optional<domain::State> state;
    std::optional<int> step;
    std::optional<std::int64_t> min_score; // inclusive; from an impact class
    std::optional<std::int64_t> max_score; // exclusive
    std::map<std::string, std::string> fields;
    std::optional<domain::Timestamp> since;
    SortKey sort = SortKey::id;
    SortOrder order = SortOrder::ascending;
    std::optional<std::int64_t> limit;
};

// Everything sileram keeps. Commands use only this interface, so another database is another
// implementation of it.
class Store {
public:
    virtual ~Store() = default;

    // Starts the one write transaction of a command; it takes the write lock at once.
    virtual void begin_write() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;

    // The signal with all its sections, or nullopt.
    virtual std::optional<domain::Signal> load(domain::SignalId id) = 0;
    // Stores a new signal and its children; sets its id and theirs.
    virtual void insert(domain::Signal& signal) = 0;
    // Writes back a loaded signal: its own row, the children the domain added (id 0) and the
    // actions it changed; sets the ids of the new children.
    virtual void save(domain::Signal& signal) = 0;

    virtual std::optional<domain::SignalId> find_by_external_id(const std::string& external_id) = 0;
    virtual std::vector<SignalSummary> list(const ListQuery& query) = 0;
    // Names of the fields in use beyond the standard four.
    virtual std::vector<std::string> custom_field_names() = 0;
    // Calls `visit` for every signal, by id, fully loaded.
    virtual void for_each_signal(const std::function<void(const domain::Signal&)>& visit) = 0;

    // Copies the whole database, as one consistent snapshot, into a new file `target` while
    // other processes go on writing; returns the number of pages copied.
    virtual std::int64_t backup_to(const std::filesystem::path& target) = 0;

    // The queries of `sileram report` and the customers table, on the same connection.
    virtual ReportQueries& reports() = 0;
};

enum class Access { read, write };

// Opens the database file. For writing, a file that does not exist is created and an older
// schema is migrated; for reading, a missing file reads as an empty database and nothing is
// created. Throws Refused for a database written by a newer sileram, TemporaryFailure when it
// stays locked past the busy timeout, SystemFailure when it is not a usable database.
std::unique_ptr<Store> open_store(const std::filesystem::path& file, Access access);

// Creates the database (or migrates it) without writing anything else, for `init`. Returns the
// schema version it now has.
int initialise_database(const std::filesystem::path& file);

// The schema version this build writes.
int current_schema_version();

// Rolls back on scope exit unless committed: one per writing command.
class WriteTransaction {
public:
    explicit WriteTransaction(Store& store) : m_store(store) { m_store.begin_write(); }
    ~WriteTransaction() {
        if (!m_committed) {
            try {
                m_store.rollback();
            } catch (...) {
                // The connection is closing with the error that got us here; keep that one.
            }
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    void commit() {
        m_store.commit();
        m_committed = true;
    }

private:
    Store& m_store;
    bool m_committed = false;
};

} // namespace sileram::storage
