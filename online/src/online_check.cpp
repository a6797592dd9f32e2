// The worker owns every file operation on the terminal's folders; ask(), status()
// and answer() only touch State under its mutex. The worker may hang in the kernel
// on a dead share: it holds a shared_ptr to State, so the check can be destroyed
// (and a new one made) while a stuck worker still lives; when its call returns it
// finds `stopping` and touches nothing else.
#include <kakunin/base/atomic_file.h>
#include <kakunin/base/file_name.h>
#include <kakunin/base/hex.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/base/read_file.h>
#include <kakunin/base/unique_fd.h>
#include <kakunin/online/online.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "compare.h"
#include "request_template.h"
#include "result_file.h"

namespace kakunin::online {
namespace {

constexpr std::string_view kRequestPrefix = "OQSsiquc01req_";
constexpr std::string_view kResultPrefix = "OQSsiquc01res_";
// Finished requests kept for status() after the card that asked is long gone.
constexpr std::size_t kKeptRequests = 64;
// An answer that comes after its timeout is still removed (it holds personal data)
// if it comes within this long.
constexpr auto kLateAnswerWatch = std::chrono::minutes(10);
constexpr auto kStaleTempAge = std::chrono::minutes(10);

// 64 random bits: the kernel's, or (should getrandom ever refuse, as under an old
// seccomp filter) the standard library's, never a loop on the main thread.
std::string random_identifier() {
  std::array<std::uint8_t, 8> bytes{};
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      std::random_device device;
      for (std::uint8_t& b : bytes) b = static_cast<std::uint8_t>(device());
      break;
    }
  }
  return base::encode_hex(bytes);
}

// Size and change time of a file, to tell a file still being written from a
// finished one on a share inotify cannot see.
struct FileStamp {
  off_t size = -1;
  std::int64_t changed_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

std::optional<FileStamp> stamp_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileStamp{st.st_size, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
}

std::string insurer_number_for_request(std::string_view digits) {
  return digits.size() == 6 ? "  " + std::string(digits) : std::string(digits);
}

}  // namespace

struct OnlineCheck::State {
  State(config::OnlineSettings s, OnlineOptions o, RequestTemplate t)
      : settings(std::move(s)), options(std::move(o)), request_template(std::move(t)) {}

  const base::Clock& clock() const { return options.clock ? *options.clock : base::system_clock(); }

  struct Request {
    std::uint64_t ticket = 0;
    std::string identifier;  // ArbitraryFileIdentifier: random, the pseudonym in logs
    std::string request_name;
    std::string result_name;
    std::string bytes;  // the request; dropped once written (it holds personal data)
    AskedFor asked;
    std::optional<crypto::Certificate> certificate;  // for the comparison; dropped when final
    base::SteadyTime asked_at{};
    base::SteadyTime deadline{};
    bool written = false;
    OnlineStatus status;
    std::shared_ptr<const NationalAnswer> answer;
    bool late_answer_removed = false;  // an answer after the timeout: removed, never shown
    std::optional<base::SteadyTime> answered_at;
    // The answer file as last seen, and since when unchanged.
    std::optional<FileStamp> seen;
    base::SteadyTime seen_since{};
    std::optional<FileStamp> refused;  // the last version refused (logged once)
  };

  config::OnlineSettings settings;
  OnlineOptions options;
  RequestTemplate request_template;

  mutable std::mutex mutex;
  std::deque<Request> requests;  // guarded by mutex
  std::uint64_t next_ticket = 1;
  bool stopping = false;
  bool exited = false;
  std::condition_variable exited_changed;
  Figures figures;
  base::UniqueFd wake;  // eventfd: a new request, or stop

  void poke() const {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake.get(), &one, sizeof one);
  }

  Request* find(std::uint64_t ticket) {
    for (Request& r : requests) {
      if (r.ticket == ticket) return &r;
    }
    return nullptr;
  }

  // Under mutex: a request past its deadline becomes timed_out (once).
  void apply_deadline(Request& r, base::SteadyTime now) {
    if (r.status.final() || now < r.deadline) return;
    r.status = {OnlineState::unavailable, OnlineReason::timed_out, {}, {}};
    r.certificate.reset();
    ++figures.timed_out;
    options.log.warn("online: no answer to request " + r.identifier + " within " +
                     std::to_string(settings.timeout_seconds) + " s");
  }

  void finish(Request& r, OnlineStatus status) {
    r.status = std::move(status);
    r.certificate.reset();
    r.bytes.clear();
  }

  void forget_old_requests() {
    while (requests.size() > kKeptRequests && requests.front().status.final()) requests.pop_front();
  }
};

namespace {

using State = OnlineCheck::State;

// At start: what an earlier run of this kiosk left in the terminal's folders.
// Its requests are withdrawn (the patient has long left the counter; asking now
// would query the national system for nobody) and its answers removed unread.
void clear_earlier_runs(State& state) {
  const std::string ours = "kakunin-" + base::file_name_safe(state.options.kiosk_id) + "_";
  int requests = 0;
  int answers = 0;
  const auto clear = [&](const std::filesystem::path& folder, std::string_view prefix, int& count) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with(std::string(prefix) + ours) || !name.ends_with(".xml")) continue;
      if (std::filesystem::remove(entry.path(), ec)) ++count;
    }
  };
  base::remove_stale_temp_files(state.settings.req_dir, kStaleTempAge);
  clear(state.settings.req_dir, kRequestPrefix, requests);
  clear(state.settings.res_dir, kResultPrefix, answers);
  if (requests + answers > 0) {
    state.options.log.info("online: removed " + std::to_string(requests) +
                           " unanswered request(s) and " + std::to_string(answers) +
                           " answer(s) left by an earlier run (never sent again, never shown)");
  }
}

// Writes the oldest request not yet written; false when there was none.
bool write_next_request(State& state) {
  std::string name;
  std::string bytes;
  std::string identifier;
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(state.mutex);
    for (State::Request& r : state.requests) {
      if (r.written || r.status.final()) continue;
      name = r.request_name;
      bytes = r.bytes;
      identifier = r.identifier;
      ticket = r.ticket;
      break;
    }
  }
  if (ticket == 0) return false;
  // May block for as long as the share does: only this thread waits.
  const base::Status written =
      base::write_file_atomically(state.settings.req_dir / name, bytes, {.mode = 0640});
  std::lock_guard lock(state.mutex);
  if (state.stopping) return true;
  State::Request* r = state.find(ticket);
  if (r == nullptr) return true;
  r->bytes.clear();
  if (written.ok()) {
    r->written = true;
    state.options.log.info("online: request " + identifier + " written to the terminal");
    return true;
  }
  ++state.figures.write_failures;
  state.options.log.warn("online: request " + identifier +
                         " not written: " + written.error().message);
  if (!r->status.final())
    state.finish(*r, {OnlineState::unavailable, OnlineReason::request_failed, {}, {}});
  return true;
}

struct Watched {
  std::uint64_t ticket;
  std::string result_name;
  std::string identifier;
  AskedFor asked;
  bool late;  // timed out already: the answer is removed, not shown
};

std::vector<Watched> watched_requests(State& state, base::SteadyTime now) {
  std::vector<Watched> out;
  std::lock_guard lock(state.mutex);
  for (State::Request& r : state.requests) {
    state.apply_deadline(r, now);
    if (!r.written) continue;
    const bool late = r.status.final();
    if (late && (r.answer || r.late_answer_removed || now - r.deadline > kLateAnswerWatch))
      continue;
    if (late && r.status.reason != OnlineReason::timed_out) continue;
    out.push_back({r.ticket, r.result_name, r.identifier, r.asked, late});
  }
  return out;
}

// Whether the answer file is whole: inotify saw its writer close it (or it was
// renamed into place), or it has not changed for settle_time. `fresh`: ready
// only by a close seen within settle_time of its last change, so a writer that
// closes between pieces may still be writing.
struct Readiness {
  bool ready = false;
  bool fresh = false;
};

Readiness readiness(State& state, std::uint64_t ticket, const FileStamp& stamp, bool closed,
                    base::SteadyTime now) {
  std::lock_guard lock(state.mutex);
  State::Request* r = state.find(ticket);
  if (r == nullptr) return {};
  if (r->refused == stamp) return {};  // that version was refused already
  if (r->seen != stamp) {
    r->seen = stamp;
    r->seen_since = now;
    return {closed, closed};
  }
  const bool settled = now - r->seen_since >= state.options.settle_time;
  return {closed || settled, !settled};
}

void refuse(State& state, std::uint64_t ticket, const Watched& w, const FileStamp& stamp,
            const std::string& why) {
  std::lock_guard lock(state.mutex);
  ++state.figures.refused_files;
  if (State::Request* r = state.find(ticket)) r->refused = stamp;
  state.options.log.warn("online: refused result file for request " + w.identifier + ": it " + why +
                         "; waiting for a proper answer");
}

void accept(State& state, const Watched& w, NationalAnswer answer, base::SteadyTime now) {
  std::lock_guard lock(state.mutex);
  State::Request* r = state.find(w.ticket);
  if (r == nullptr || r->status.final() || !r->certificate) return;
  OnlineStatus status = compare_with_certificate(*r->certificate, answer);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - r->asked_at).count();
  state.options.log.info("online: answer to request " + w.identifier + ": " +
                         std::string(online_state_name(status.state)) +
                         (status.reason == OnlineReason::none
                              ? ""
                              : " (" + std::string(online_reason_name(status.reason)) + ")") +
                         (status.code.empty() ? "" : " code " + status.code) + " after " +
                         std::to_string(ms) + " ms");
  r->answer = std::make_shared<const NationalAnswer>(std::move(answer));
  r->answered_at = now;
  ++state.figures.answered;
  state.figures.last_answer = state.clock().wall_now();
  state.finish(*r, std::move(status));
}

void look_at_answer(State& state, const Watched& w, const std::set<std::string>& closed) {
  const std::filesystem::path path = state.settings.res_dir / w.result_name;
  const auto stamp = stamp_of(path);
  if (!stamp) return;
  const base::SteadyTime now = state.clock().steady_now();
  const Readiness ready = readiness(state, w.ticket, *stamp, closed.count(w.result_name) != 0, now);
  if (!ready.ready) return;
  std::error_code ec;
  if (w.late) {
    {
      std::lock_guard lock(state.mutex);
      state.options.log.warn("online: the answer to request " + w.identifier +
                             " came after the timeout; removed, not shown");
      if (State::Request* r = state.find(w.ticket)) r->late_answer_removed = true;
    }
    std::filesystem::remove(path, ec);
    return;
  }
  auto bytes = base::read_file(path, kMaxResultBytes);
  if (!bytes.ok()) {
    refuse(state, w.ticket, w, *stamp,
           bytes.error().message.find("larger") != std::string::npos ? "is larger than the limit"
                                                                     : "cannot be read");
    return;
  }
  auto answer = parse_result_file(bytes.value(), state.settings.encoding, w.asked);
  if (!answer.ok()) {
    // Closed a moment after a change: perhaps one piece of several. Judged once
    // it has settled (the stamp is kept, so the next look after settle_time reads it).
    if (!ready.fresh) refuse(state, w.ticket, w, *stamp, answer.error().message);
    return;
  }
  answer.value().file_name = w.result_name;
  accept(state, w, std::move(answer).value(), now);
  // The kiosk asked, so the answer is the kiosk's to remove: it holds personal data.
  std::filesystem::remove(path, ec);
}

// The names inotify saw closed after writing or moved in, since the last call.
std::set<std::string> drain_inotify(int fd) {
  std::set<std::string> names;
  alignas(inotify_event) std::array<char, 8192> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
      if (event->len > 0 && (event->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)))
        names.insert(event->name);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  return names;
}

void drain_eventfd(int fd) {
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(fd, &count, sizeof count);
}

bool stopping(State& state) {
  std::lock_guard lock(state.mutex);
  return state.stopping;
}

void run_worker(const std::shared_ptr<State>& state) {  // the thread holds its own copy
  clear_earlier_runs(*state);
  base::UniqueFd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  bool watching = false;
  while (!stopping(*state)) {
    // inotify on a share sees only this machine's writes; the stamps below see
    // the rest. The watch is (re)tried each turn until the folder exists.
    if (!watching && inotify) {
      watching = inotify_add_watch(inotify.get(), state->settings.res_dir.c_str(),
                                   IN_CLOSE_WRITE | IN_MOVED_TO) >= 0;
    }
    while (write_next_request(*state)) {
      if (stopping(*state)) break;
    }
    const std::set<std::string> closed =
        inotify ? drain_inotify(inotify.get()) : std::set<std::string>{};
    const auto watched = watched_requests(*state, state->clock().steady_now());
    for (const Watched& w : watched) look_at_answer(*state, w, closed);
    std::array<pollfd, 2> fds{{{state->wake.get(), POLLIN, 0}, {inotify.get(), POLLIN, 0}}};
    const int timeout_ms = static_cast<int>(state->options.poll_interval.count());
    ::poll(fds.data(), inotify ? 2 : 1, timeout_ms);
    drain_eventfd(state->wake.get());
  }
  std::lock_guard lock(state->mutex);
  state->exited = true;
  state->exited_changed.notify_all();
}

}  // namespace

OnlineCheck::Created OnlineCheck::create(const config::OnlineSettings& settings,
                                         OnlineOptions options) {
  if (settings.req_dir.empty() || settings.res_dir.empty())
    return {nullptr, "online: online.req_dir and online.res_dir must be set"};
  std::string text(default_request_template());
  if (!settings.request_template.empty()) {
    auto read = base::read_file(settings.request_template, std::size_t{64} * 1024);
    if (!read.ok()) return {nullptr, "online: " + read.error().message};
    text = std::move(read).value();
  }
  auto parsed = RequestTemplate::parse(text);
  if (!parsed.ok()) return {nullptr, "online: " + parsed.error().message};
  auto state = std::make_shared<State>(settings, std::move(options), std::move(parsed).value());
  state->wake = base::UniqueFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!state->wake) return {nullptr, "online: cannot make an eventfd"};
  std::thread(run_worker, state).detach();
  return {std::unique_ptr<OnlineCheck>(new OnlineCheck(std::move(state))), {}};
}

OnlineCheck::OnlineCheck(std::shared_ptr<State> state) : state_(std::move(state)) {}

OnlineCheck::~OnlineCheck() {
  std::unique_lock lock(state_->mutex);
  state_->stopping = true;
  state_->poke();
  // A worker stuck on a hung share is left behind (it holds its own reference).
  state_->exited_changed.wait_for(lock, state_->options.stop_timeout,
                                  [&] { return state_->exited; });
  if (!state_->exited) {
    state_->options.log.warn(
        "online: a terminal folder does not answer; its worker is left behind");
  }
}

std::uint64_t OnlineCheck::ask(const crypto::VerifiedPresentation& presentation,
                               crypto::UnixSeconds checked_at) {
  State& state = *state_;
  const crypto::Certificate& cert = presentation.certificate;
  State::Request r;
  r.identifier = random_identifier();
  const std::string stamp = base::yyyymmddhhmmss(base::japan_time_at(checked_at));
  const std::string suffix = "kakunin-" + base::file_name_safe(state.options.kiosk_id) + "_" +
                             stamp + "_" + r.identifier + ".xml";
  r.request_name = std::string(kRequestPrefix) + suffix;
  r.result_name = std::string(kResultPrefix) + suffix;
  r.asked = {r.identifier, insurer_number_for_request(cert.insurer_number), cert.number,
             cert.symbol.value_or("")};
  const std::map<std::string, std::string> values = {
      {"medical_institution_code", state.settings.medical_institution_code},
      {"file_identifier", r.identifier},
      {"confirmation_date", base::yyyymmdd(crypto::CalendarDate::japan_date_at(checked_at))},
      {"process_time", stamp},
      {"insurer_number", r.asked.insurer_number},
      {"symbol", cert.symbol.value_or("")},
      {"number", cert.number},
      {"branch", cert.branch},
      {"birth_date", base::yyyymmdd(cert.birth_date)},
  };
  auto bytes = state.request_template.render(values, state.settings.encoding);
  const base::SteadyTime now = state.clock().steady_now();
  r.asked_at = now;
  r.deadline = now + std::chrono::seconds(state.settings.timeout_seconds);
  std::lock_guard lock(state.mutex);
  r.ticket = state.next_ticket++;
  ++state.figures.asked;
  if (bytes.ok()) {
    r.bytes = std::move(bytes).value();
    r.certificate = cert;
  } else {
    r.status = {OnlineState::unavailable, OnlineReason::not_asked, {}, {}};
    state.options.log.warn("online: request " + r.identifier +
                           " not made: " + bytes.error().message);
  }
  const std::uint64_t ticket = r.ticket;
  state.requests.push_back(std::move(r));
  state.forget_old_requests();
  state.poke();
  return ticket;
}

OnlineStatus OnlineCheck::status(std::uint64_t ticket) const {
  std::lock_guard lock(state_->mutex);
  State::Request* r = state_->find(ticket);
  if (r == nullptr) return {OnlineState::unavailable, OnlineReason::not_asked, {}, {}};
  state_->apply_deadline(*r, state_->clock().steady_now());
  return r->status;
}

std::shared_ptr<const NationalAnswer> OnlineCheck::answer(std::uint64_t ticket) const {
  std::lock_guard lock(state_->mutex);
  const State::Request* r = state_->find(ticket);
  return r == nullptr ? nullptr : r->answer;
}

std::optional<base::SteadyTime> OnlineCheck::answered_at(std::uint64_t ticket) const {
  std::lock_guard lock(state_->mutex);
  State::Request* r = state_->find(ticket);
  if (r == nullptr) return std::nullopt;
  return r->answered_at;
}

OnlineCheck::Figures OnlineCheck::figures() const {
  std::lock_guard lock(state_->mutex);
  return state_->figures;
}

}  // namespace kakunin::online
