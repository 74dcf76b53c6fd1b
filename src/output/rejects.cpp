#include "sileram/output/rejects.hpp"

#include "sileram/errors.hpp"
#include "sileram/output/csv.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace sileram::output {

namespace {

namespace fs = std::filesystem;

// Rejected rows are gathered and written in pieces of this size.
constexpr std::size_t k_flush_bytes = std::size_t{64} * 1024;

bool is_special(const std::string& file) {
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);
    return !ec && fs::exists(status) && !fs::is_regular_file(status);
}

} // namespace

RejectsFile::RejectsFile(const std::string& file, RejectsFormat format)
    : m_file(file), m_format(format), m_direct(is_special(file)),
      m_part(m_direct ? m_file : fs::path(file + ".part")) {
    m_fd = ::open(m_part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (m_fd < 0) {
        throw InvalidInput(fmt::format("--skip-invalid {}: cannot write {}: {}", file,
                                       m_part.string(), std::strerror(errno)));
    }
}

RejectsFile::~RejectsFile() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    if (!m_done && !m_direct) {
        std::error_code ignored;
        fs::remove(m_part, ignored);
    }
}

void RejectsFile::write_csv(const std::vector<std::string>& values,
                            const std::vector<std::string>& columns, std::int64_t row,
                            const std::string& reason) {
    if (!m_header_written) {
        std::vector<std::string> header = columns;
        header.emplace_back("row");
        header.emplace_back("reason");
        m_pending += csv_record(header);
        m_header_written = true;
    }
    std::vector<std::string> fields = values;
    fields.resize(std::max(fields.size(), columns.size()));
    fields.push_back(std::to_string(row));
    fields.push_back(reason);
    m_pending += csv_record(fields);
    if (m_pending.size() >= k_flush_bytes) {
        flush();
    }
}

void RejectsFile::write_json_line(const std::string& raw, std::int64_t row,
                                  const std::string& reason) {
    nlohmann::ordered_json line;
    try {
        line = nlohmann::ordered_json::parse(raw);
    } catch (const nlohmann::json::exception&) {
        line = nlohmann::ordered_json::object();
    }
    if (!line.is_object()) {
        line = nlohmann::ordered_json{{"line", raw}};
    } else if (line.empty() && !raw.empty()) {
        line["line"] = raw;
    }
    line["row"] = row;
    line["reason"] = reason;
    m_pending += line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    m_pending += '\n';
    if (m_pending.size() >= k_flush_bytes) {
        flush();
    }
}

void RejectsFile::close() {
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

void RejectsFile::publish() {
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

void RejectsFile::flush() {
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

void RejectsFile::fail() const {
    throw TemporaryFailure(fmt::format("--skip-invalid {}: cannot write the rejected rows to "
                                       "{}: {}; nothing imported",
                                       m_file.string(), m_part.string(), std::strerror(errno)));
}

} // namespace sileram::output
