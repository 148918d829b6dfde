// CurlLoop: HTTP requests made by tasks wait on one thread without holding it, so requests to a
// healthy server complete while hundreds to a blackholed one are still waiting; each request
// still opens its own connection; stopping lets running tasks finish and refuses new ones.

#include "exporter/clients/curl_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/core/logging.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/fake_tcp_server.h"
#include "tests/support/silent_listener.h"

namespace smoke::clients {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr auto kWaitLimit = seconds(30);

// Counts finished tasks; a test waits for a number of them instead of sleeping.
class Finished {
 public:
  void Add() {
    std::lock_guard lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  bool WaitFor(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWaitLimit, [&] { return count_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

HttpRequest Get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

TEST(CurlLoopTest, HealthyRequestsCompleteWhileHundredsOfBlackholedOnesWaitOnTheSameThread) {
  testing::FakeHttpServer healthy;
  healthy.Respond("/ok", 200, "ok");
  testing::SilentListener blackhole;
  CurlLoop loop;
  constexpr int kBlackholed = 300;
  constexpr int kHealthy = 20;

  std::mutex mu;
  std::set<std::thread::id> threads;
  std::vector<HttpResponse> blackholed_responses;
  std::vector<HttpResponse> healthy_responses;
  Finished blackholed_done;
  Finished healthy_done;
  auto request = [&](const std::string& url, std::vector<HttpResponse>* out, Finished* done) {
    return [&, url, out, done] {
      HttpResponse response = CurlHttpClient().Execute(Get(url), steady_clock::now() + seconds(4));
      {
        std::lock_guard lock(mu);
        threads.insert(std::this_thread::get_id());
        out->push_back(std::move(response));
      }
      done->Add();
    };
  };
  for (int i = 0; i < kBlackholed; ++i) {
    ASSERT_TRUE(
        loop.Post(request(blackhole.base_url() + "/", &blackholed_responses, &blackholed_done)));
  }
  for (int i = 0; i < kHealthy; ++i) {
    ASSERT_TRUE(loop.Post(request(healthy.base_url() + "/ok", &healthy_responses, &healthy_done)));
  }

  ASSERT_TRUE(healthy_done.WaitFor(kHealthy));
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(blackholed_responses.empty())
        << "no blackholed request can end before its 4 s timeout";
    for (const HttpResponse& r : healthy_responses) {
      EXPECT_EQ(r.status.error, TransportError::kNone) << r.status.message;
      EXPECT_EQ(r.status_code, 200);
      EXPECT_EQ(r.body, "ok");
    }
  }
  EXPECT_EQ(loop.tasks(), static_cast<size_t>(kBlackholed));

  ASSERT_TRUE(blackholed_done.WaitFor(kBlackholed));
  std::lock_guard lock(mu);
  for (const HttpResponse& r : blackholed_responses) {
    EXPECT_EQ(r.status.error, TransportError::kTimeout) << r.status.message;
  }
  EXPECT_EQ(threads.size(), 1u) << "every task ran on the loop's one thread";
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

// The loop's multi handle would share connections and DNS answers between its transfers;
// probes must each measure their own connect, even against a server that keeps connections open.
TEST(CurlLoopTest, EveryRequestOpensItsOwnConnection) {
  testing::FakeTcpServer keep_alive([](testing::FakeTcpServer::Connection& c) {
    while (c.ReadUntil("\r\n\r\n", std::chrono::milliseconds(2000)).find("\r\n\r\n") !=
           std::string::npos) {
      c.Write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok");
    }
  });
  CurlLoop loop;
  std::vector<HttpResponse> responses;
  Finished done;
  ASSERT_TRUE(loop.Post([&] {
    for (int i = 0; i < 3; ++i) {
      responses.push_back(CurlHttpClient().Execute(Get("http://" + keep_alive.address() + "/"),
                                                   steady_clock::now() + seconds(5)));
    }
    done.Add();
  }));
  ASSERT_TRUE(done.WaitFor(1));
  ASSERT_EQ(responses.size(), 3u);
  for (const HttpResponse& r : responses) EXPECT_EQ(r.status_code, 200) << r.status.message;
  EXPECT_EQ(keep_alive.accepted(), 3) << "three requests, three connections";
}

TEST(CurlLoopTest, StopLetsRunningTasksFinishAndRefusesNewOnes) {
  testing::SilentListener blackhole;
  CurlLoop loop;
  HttpResponse response;
  bool finished = false;
  ASSERT_TRUE(loop.Post([&] {
    response = CurlHttpClient().Execute(Get(blackhole.base_url() + "/"),
                                        steady_clock::now() + std::chrono::milliseconds(500));
    finished = true;
  }));
  loop.Stop();
  EXPECT_TRUE(finished);
  EXPECT_EQ(response.status.error, TransportError::kTimeout);
  EXPECT_EQ(loop.tasks(), 0u);
  EXPECT_FALSE(loop.Post([] {}));
}

TEST(CurlLoopTest, ATaskThatThrowsIsLoggedAndTheLoopGoesOn) {
  std::vector<std::string> log;
  std::mutex log_mu;
  core::SetLogSink([&](const std::string& line) {
    std::lock_guard lock(log_mu);
    log.push_back(line);
  });
  {
    CurlLoop loop;
    Finished done;
    ASSERT_TRUE(loop.Post([] { throw std::runtime_error("task bug"); }));
    ASSERT_TRUE(loop.Post([&] { done.Add(); }));
    EXPECT_TRUE(done.WaitFor(1));
  }
  core::SetLogSink(nullptr);
  std::lock_guard lock(log_mu);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("task bug"), std::string::npos) << log[0];
}

TEST(CurlLoopTest, OutsideATaskRequestsArePerformedByTheCaller) {
  EXPECT_FALSE(CurlLoop::PerformInCurrentTask(nullptr).has_value());
  testing::FakeHttpServer server;
  server.Respond("/ok", 200, "ok");
  CurlLoop loop;  // running, but the request below is not one of its tasks
  const HttpResponse r =
      CurlHttpClient().Execute(Get(server.base_url() + "/ok"), steady_clock::now() + seconds(5));
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(loop.tasks(), 0u);
}

}  // namespace
}  // namespace smoke::clients
