// Work handed to a thread in batches: done in order, all of it, once; a failure on the thread
// reaches the caller; giving up stops the thread.
#include "sileram/batch_worker.hpp"

#include <doctest/doctest.h>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

using sileram::BatchWorker;

TEST_CASE("a batch worker does every item in order, then its last step, on either thread") {
    for (const auto threading :
         {BatchWorker<int>::Threading::own_thread, BatchWorker<int>::Threading::caller}) {
        CAPTURE(static_cast<int>(threading));
        std::vector<int> done;
        std::vector<std::thread::id> workers;
        bool last = false;
        BatchWorker<int> worker(
            7, 2,
            [&](std::vector<int>& batch) {
                CHECK(batch.size() <= 7);
                CHECK_FALSE(last);
                done.insert(done.end(), batch.begin(), batch.end());
                workers.push_back(std::this_thread::get_id());
            },
            [&] { last = true; }, threading);
        for (int n = 0; n < 100; ++n) {
            worker.add(n);
        }
        worker.wait();
        std::vector<int> expected(100);
        std::iota(expected.begin(), expected.end(), 0);
        CHECK(done == expected);
        CHECK(last);
        REQUIRE(workers.size() == 15); // 14 full batches and the rest
        const bool on_caller = workers.front() == std::this_thread::get_id();
        CHECK(on_caller == (threading == BatchWorker<int>::Threading::caller));
        worker.wait(); // again: nothing more happens
        CHECK(done.size() == 100);
    }
}

TEST_CASE("what the worker's thread throws reaches the caller, and nothing after it is done") {
    std::vector<int> done;
    BatchWorker<int> worker(2, 1, [&](std::vector<int>& batch) {
        if (batch.front() == 4) {
            throw std::runtime_error("disk full");
        }
        done.insert(done.end(), batch.begin(), batch.end());
    });
    bool thrown_by_add = false;
    try {
        for (int n = 0; n < 1000; ++n) {
            worker.add(n);
        }
    } catch (const std::runtime_error& e) {
        thrown_by_add = true;
        CHECK(std::string(e.what()) == "disk full");
    }
    // Depending on the thread's pace the failure shows at a later add() or at wait().
    if (!thrown_by_add) {
        CHECK_THROWS_WITH_AS(worker.wait(), "disk full", std::runtime_error);
    }
    CHECK(done == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("a batch worker given up stops without its last step") {
    bool last = false;
    int done = 0;
    {
        BatchWorker<int> worker(
            10, 4, [&](std::vector<int>& batch) { done += static_cast<int>(batch.size()); },
            [&] { last = true; });
        for (int n = 0; n < 35; ++n) {
            worker.add(n);
        }
    } // no wait(): the import failed
    CHECK_FALSE(last);
    CHECK(done <= 30); // the last five never left the caller's batch
}
