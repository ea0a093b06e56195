// open_loop: casts ballots at a fixed arrival rate, as voters who each vote when they
// are ready rather than the moment the previous answer came back (wrk's closed loop).
//
//   open_loop --port P --round R --choices 1,2,3 --voters FILE
//             [--connections 512] [--rate N] [--seconds 10] [--max-choices 5]
//
// Each of the connections sends a ballot every connections/rate seconds, the
// connections' schedules spread evenly, so ballots arrive at `rate` a second in all.
// A request's latency is measured from the moment its schedule said it should be sent,
// so time a voter spends waiting for their connection (the previous ballot not yet
// answered) counts too and an overloaded server shows as growing latency, not as a
// lower rate. Every ballot changes the voter's ballot (replace: true); the voters file
// has "SESSION CSRF" lines (`communitise pb-round rehearsal-voters`).
//
// Prints the rate achieved, the answers that were not 2xx, connection errors, and the
// latency percentiles.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  std::string round;
  std::vector<std::string> choices;
  std::string voters_file;
  int connections = 512;
  double rate = 1000;
  double seconds = 10;
  int max_choices = 5;
};

struct Voter {
  std::string session;
  std::string csrf;
};

struct Shared {
  Options o;
  std::vector<Voter> voters;
  size_t next_voter = 0;
  std::mt19937 rng{12345};
  Clock::time_point start, stop;
  std::vector<uint32_t> latencies_us;
  long non_2xx = 0, errors = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, Shared& s, Clock::time_point first, Clock::duration period)
      : stream_(io), timer_(io), s_(s), due_(first), period_(period) {}

  void Start(const tcp::resolver::results_type& endpoints) {
    stream_.async_connect(endpoints, [self = shared_from_this()](beast::error_code ec,
                                                                 const tcp::endpoint&) {
      if (ec) {
        ++self->s_.errors;
        return;
      }
      self->stream_.socket().set_option(tcp::no_delay(true));
      self->Wait();
    });
  }

 private:
  void Wait() {
    if (due_ >= s_.stop) return;
    timer_.expires_at(due_);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->Send();
    });
  }

  void Send() {
    const Voter& v = s_.voters[s_.next_voter++ % s_.voters.size()];
    std::uniform_int_distribution<int> count(1, std::max(1, s_.o.max_choices));
    std::vector<std::string> pool = s_.o.choices;
    std::shuffle(pool.begin(), pool.end(), s_.rng);
    pool.resize(std::min<size_t>(pool.size(), static_cast<size_t>(count(s_.rng))));
    std::string body = "{\"choices\":[";
    for (size_t i = 0; i < pool.size(); ++i) body += (i ? "," : "") + pool[i];
    body += "],\"replace\":true}";
    req_ = {};
    req_.method(bhttp::verb::post);
    req_.target("/api/pb/rounds/" + s_.o.round + "/ballot");
    req_.version(11);
    req_.set(bhttp::field::host, s_.o.host);
    req_.set(bhttp::field::cookie, "communitise_session=" + v.session);
    req_.set("X-CSRF-Token", v.csrf);
    req_.set(bhttp::field::content_type, "application/json");
    req_.set(bhttp::field::accept, "application/json");
    req_.body() = std::move(body);
    req_.prepare_payload();
    bhttp::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Fail();
      self->res_ = {};
      bhttp::async_read(self->stream_, self->buffer_, self->res_,
                        [self](beast::error_code ec, size_t) {
                          if (ec) return self->Fail();
                          self->Done();
                        });
    });
  }

  void Done() {
    const auto now = Clock::now();
    s_.latencies_us.push_back(static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now - due_).count()));
    if (res_.result_int() / 100 != 2) ++s_.non_2xx;
    due_ += period_;  // the next ballot is due on schedule, however late this one was
    Wait();
  }

  void Fail() { ++s_.errors; }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  Shared& s_;
  Clock::time_point due_;
  Clock::duration period_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> req_;
  bhttp::response<bhttp::string_body> res_;
};

[[noreturn]] void Usage(const char* message) {
  std::cerr << "open_loop: " << message
            << "\nusage: open_loop --port P --round R --choices 1,2,3 --voters FILE "
               "[--host H] [--connections N] [--rate PER_SECOND] [--seconds S] "
               "[--max-choices K]\n";
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) Usage(("missing value for " + flag).c_str());
    const std::string value = argv[++i];
    if (flag == "--host") o.host = value;
    else if (flag == "--port") o.port = value;
    else if (flag == "--round") o.round = value;
    else if (flag == "--voters") o.voters_file = value;
    else if (flag == "--connections") o.connections = std::atoi(value.c_str());
    else if (flag == "--rate") o.rate = std::atof(value.c_str());
    else if (flag == "--seconds") o.seconds = std::atof(value.c_str());
    else if (flag == "--max-choices") o.max_choices = std::atoi(value.c_str());
    else if (flag == "--choices") {
      std::stringstream in(value);
      for (std::string c; std::getline(in, c, ',');) {
        if (!c.empty()) o.choices.push_back(c);
      }
    } else {
      Usage(("unknown option " + flag).c_str());
    }
  }
  if (o.port.empty() || o.round.empty() || o.choices.empty() || o.voters_file.empty()) {
    Usage("--port, --round, --choices and --voters are required");
  }
  if (o.connections < 1 || o.rate <= 0 || o.seconds <= 0) Usage("bad number");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Shared s;
  s.o = Parse(argc, argv);
  std::ifstream in(s.o.voters_file);
  for (std::string session, csrf; in >> session >> csrf;) s.voters.push_back({session, csrf});
  if (s.voters.empty()) Usage("the voters file has no voters");

  asio::io_context io;
  auto endpoints = tcp::resolver(io).resolve(s.o.host, s.o.port);
  const auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(s.o.connections / s.o.rate));
  // A second to connect, then the schedule starts.
  s.start = Clock::now() + std::chrono::seconds(1);
  s.stop = s.start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(s.o.seconds));
  std::vector<std::shared_ptr<Connection>> connections;
  for (int c = 0; c < s.o.connections; ++c) {
    auto first = s.start + period * c / s.o.connections;
    connections.push_back(std::make_shared<Connection>(io, s, first, period));
    connections.back()->Start(endpoints);
  }
  connections.clear();  // each lives while it has work
  io.run();
  const double elapsed =
      std::chrono::duration<double>(std::max(Clock::now(), s.stop) - s.start).count();

  auto& l = s.latencies_us;
  std::sort(l.begin(), l.end());
  auto pct = [&](double p) {
    if (l.empty()) return 0.0;
    const size_t i = std::min(l.size() - 1, static_cast<size_t>(p / 100.0 * l.size()));
    return l[i] / 1000.0;
  };
  std::printf("open loop: %d connections, %.0f ballots/s offered, %.0f/s answered (%zu in %.1f s), "
              "non-2xx %ld, errors %ld\n",
              s.o.connections, s.o.rate, l.size() / elapsed, l.size(), elapsed, s.non_2xx,
              s.errors);
  std::printf("latency from the scheduled send: p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  "
              "p99.9 %.1f ms  max %.1f ms\n",
              pct(50), pct(90), pct(99), pct(99.9), l.empty() ? 0.0 : l.back() / 1000.0);
  return s.errors == 0 ? 0 : 1;
}
