#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace sileram {

// Work on items handed over in batches, done by a thread of its own while the caller produces the
// next ones: an import reads rows while another thread writes them. The caller waits when the
// thread is `queued` batches behind, so the memory in flight stays small. What the thread throws
// is thrown again to the caller, at its next add() or at wait(). Without a thread of its own
// (Threading::caller), the caller does the work itself, batch by batch.
template <typename Item>
class BatchWorker {
public:
    enum class Threading { own_thread, caller };
    using Batch = std::vector<Item>;

    // `work` gets each batch in turn; `last` runs once after the last batch.
    BatchWorker(std::size_t batch_items, std::size_t queued, std::function<void(Batch&)> work,
                std::function<void()> last = {}, Threading threading = Threading::own_thread)
        : m_batch_items(batch_items), m_queued(queued), m_work(std::move(work)),
          m_last(std::move(last)) {
        m_filling.reserve(m_batch_items);
        if (threading == Threading::own_thread) {
            m_thread = std::thread([this] { run(); });
        }
    }

    // Gives up: the thread stops after the batch it works on; what it did not do is not done.
    ~BatchWorker() {
        if (m_thread.joinable()) {
            {
                const std::lock_guard lock(m_mutex);
                m_stopping = true;
            }
            m_changed.notify_all();
            m_thread.join();
        }
    }
    BatchWorker(const BatchWorker&) = delete;
    BatchWorker& operator=(const BatchWorker&) = delete;

    void add(Item item) {
        m_filling.push_back(std::move(item));
        if (m_filling.size() == m_batch_items) {
            hand_over();
        }
    }

    // No more items come: the thread does the rest, and `last`, while the caller goes on.
    void close() {
        if (m_closed) {
            return;
        }
        m_closed = true;
        if (!m_filling.empty()) {
            hand_over();
        }
        if (!m_thread.joinable()) {
            timed(m_last);
            return;
        }
        {
            const std::lock_guard lock(m_mutex);
            m_closing = true;
        }
        m_changed.notify_all();
    }

    // Closes, and waits until the thread has done everything.
    void wait() {
        close();
        if (m_thread.joinable()) {
            const auto start = Clock::now();
            m_thread.join();
            m_waited_seconds = seconds_since(start);
        }
        if (m_failure) {
            std::rethrow_exception(m_failure);
        }
    }

    // Seconds spent on the work, on whichever thread did it; valid after wait().
    double busy_seconds() const { return m_busy_seconds; }
    // Seconds wait() waited for the thread.
    double waited_seconds() const { return m_waited_seconds; }

private:
    using Clock = std::chrono::steady_clock;

    static double seconds_since(Clock::time_point start) {
        return std::chrono::duration<double>(Clock::now() - start).count();
    }

    template <typename Work, typename... Args>
    void timed(Work& work, Args&... args) {
        if (work) {
            const auto start = Clock::now();
            work(args...);
            m_busy_seconds += seconds_since(start);
        }
    }

    void hand_over() {
        if (!m_thread.joinable()) {
            timed(m_work, m_filling);
            m_filling.clear();
            return;
        }
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_queue.size() < m_queued || m_failure; });
        if (m_failure) {
            std::rethrow_exception(m_failure);
        }
        m_queue.push_back(std::move(m_filling));
        m_filling = Batch();
        lock.unlock();
        m_changed.notify_all();
        m_filling.reserve(m_batch_items);
    }

    void run() {
        try {
            for (;;) {
                Batch batch;
                {
                    std::unique_lock lock(m_mutex);
                    m_changed.wait(lock,
                                   [this] { return !m_queue.empty() || m_closing || m_stopping; });
                    if (m_stopping) {
                        return;
                    }
                    if (m_queue.empty()) {
                        break; // closed, and every batch done
                    }
                    batch = std::move(m_queue.front());
                    m_queue.pop_front();
                }
                m_changed.notify_all();
                timed(m_work, batch);
            }
            timed(m_last);
        } catch (...) {
            const std::lock_guard lock(m_mutex);
            m_failure = std::current_exception();
        }
        m_changed.notify_all();
    }

    std::size_t m_batch_items;
    std::size_t m_queued;
    std::function<void(Batch&)> m_work;
    std::function<void()> m_last;
    Batch m_filling;
    bool m_closed = false;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch> m_queue; // full batches, oldest first
    bool m_closing = false;    // no more batches come
    bool m_stopping = false;   // give up
    std::exception_ptr m_failure;
    std::thread m_thread; // last: started once everything it reads is there

    double m_busy_seconds = 0;
    double m_waited_seconds = 0;
};

} // namespace sileram
