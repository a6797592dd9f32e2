// A sync round: download, check, replace atomically or keep the last good list.
#include <kakunin/base/atomic_file.h>
#include <kakunin/base/hex.h>
#include <kakunin/base/read_file.h>
#include <kakunin/base/unique_fd.h>
#include <kakunin/sync/sync.h>

#include "state_record.h"

#include <openssl/sha.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

#include <algorithm>
#include <random>
#include <system_error>
#include <thread>

namespace kakunin::sync {
namespace {

namespace fs = std::filesystem;

// "lists.example.jp" of "https://user@lists.example.jp:8443/trust.cose": the
// server whose Date the clock check compares with, short enough for the status page.
std::string host_of(const std::string& url) {
  std::string host = net::url_for_log(url);  // without user, password, query
  if (const auto scheme = host.find("://"); scheme != std::string::npos) host.erase(0, scheme + 3);
  if (const auto path = host.find('/'); path != std::string::npos) host.erase(path);
  return host;
}

// A list of either kind, loaded (checked) or refused with a reason.
struct CheckedList {
  std::optional<crypto::ListHeader> header;
  std::shared_ptr<const crypto::TrustList> trust;
  std::shared_ptr<const crypto::RevocationList> revocations;
  std::string error;
  bool rollback = false;  // refused for a sequence below the high-water mark
};

CheckedList check_list(ListKind kind, crypto::ByteView bytes, const crypto::PinnedKeys& pins,
                       crypto::HighWaterMark seen, crypto::Mode mode) {
  CheckedList out;
  if (kind == ListKind::trust_list) {
    auto loaded = crypto::TrustList::load(bytes, pins, seen);
    if (!loaded.ok()) {
      out.error = loaded.error()->message;
      out.rollback = loaded.error()->kind == crypto::ListError::Kind::rollback;
      return out;
    }
    out.header = loaded.value()->header();
    out.trust = loaded.value();
  } else {
    auto loaded = crypto::RevocationList::load(bytes, pins, seen);
    if (!loaded.ok()) {
      out.error = loaded.error()->message;
      out.rollback = loaded.error()->kind == crypto::ListError::Kind::rollback;
      return out;
    }
    out.header = loaded.value()->header();
    out.revocations = loaded.value();
  }
  if (auto refusal = refusal_for_mode(*out.header, mode)) {
    out.error = *refusal;
    out.header.reset();
  }
  return out;
}

// Held lists and their validators are readable by the kiosk's group (operators).
constexpr base::WriteOptions kHeldFileOptions{.mode = 0640};
// A `kakunin sync --once` run by an operator may be writing a temporary file now;
// no replacement takes an hour.
constexpr std::chrono::hours kStaleTempAge{1};

std::string sha256_hex(crypto::ByteView bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(bytes.data(), bytes.size(), digest);
  return base::encode_hex(digest);
}

struct FileStamp {
  fs::file_time_type time{};
  std::uintmax_t size = 0;
  bool operator==(const FileStamp&) const = default;
};

std::optional<FileStamp> stamp_of(const fs::path& path) {
  std::error_code ec;
  FileStamp stamp;
  stamp.time = fs::last_write_time(path, ec);
  if (ec) return std::nullopt;
  stamp.size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  return stamp;
}

std::string held_description(const std::optional<std::uint64_t>& sequence) {
  return sequence ? "keeping the held list (sequence " + std::to_string(*sequence) + ")"
                  : "no list is held yet";
}

// "production/trust_list": the series a high-water mark belongs to.
std::string series_of(crypto::Mode mode, ListKind kind) {
  return std::string(mode == crypto::Mode::test ? "test/" : "production/") +
         (kind == ListKind::trust_list ? "trust_list" : "revocations");
}

std::optional<std::uint64_t> highest(std::optional<std::uint64_t> a,
                                     std::optional<std::uint64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

double unit_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

// What the syncer knows about one held list: its file, sequence and the server's
// validators for it (kept beside the list in "<file>.http", with the list's
// SHA-256 so validators of another file are never sent).
struct Syncer::Held {
  ListKind kind;
  fs::path path;
  fs::path meta_path;
  std::optional<std::uint64_t> sequence;  // of the list in use
  std::string refusal;  // why the held file is not in use (rollback), for the status page
  std::string sha256;
  net::Validators validators;
  std::optional<FileStamp> stamp;
};

namespace {

void read_validators(const fs::path& meta_path, const std::string& list_sha256,
                     net::Validators* out) {
  const auto text = base::read_file(meta_path, std::size_t{64} * 1024);
  *out = {};
  if (!text.ok()) return;
  const auto json = nlohmann::json::parse(text.value(), nullptr, false);
  if (!json.is_object() || json.value("sha256", "") != list_sha256) return;
  out->etag = json.value("etag", "");
  out->last_modified = json.value("last_modified", "");
}

bool write_validators(const fs::path& meta_path, const std::string& list_sha256,
                      const net::Validators& v, std::string* error) {
  const nlohmann::json json = {
      {"sha256", list_sha256}, {"etag", v.etag}, {"last_modified", v.last_modified}};
  const std::string text =
      json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const base::Status written = base::write_file_atomically(meta_path, text, kHeldFileOptions);
  if (!written.ok()) *error = written.error().message;
  return written.ok();
}

}  // namespace

Syncer::Syncer(SyncSettings settings, crypto::PinnedKeys pins, TrustStore& store, base::Logger log,
               ServerDateObserver on_server_date, const base::Clock& clock)
    : settings_(std::move(settings)),
      pins_(std::move(pins)),
      store_(store),
      log_(log),
      on_server_date_(std::move(on_server_date)),
      clock_(clock),
      fetcher_(settings_.transport, net::UrlUse::list_source, clock),
      heartbeat_(clock) {
  auto make_held = [&](ListKind kind) {
    auto held = std::make_unique<Held>();
    held->kind = kind;
    held->path = settings_.state_dir / held_file_name(kind);
    held->meta_path = settings_.state_dir / (std::string(held_file_name(kind)) + ".http");
    return held;
  };
  held_trust_ = make_held(ListKind::trust_list);
  held_revocations_ = make_held(ListKind::revocations);
  record_ = std::make_unique<StateRecord>();
}

Syncer::~Syncer() { stop(); }

Syncer::Held& Syncer::held(ListKind kind) {
  return kind == ListKind::trust_list ? *held_trust_ : *held_revocations_;
}

// The writers of one state folder (the service's sync thread, an operator's
// `kakunin sync --once`) take turns: flock(2) on a lock file in the folder, for the
// length of a round. A writer that cannot have it within SyncSettings::state_lock_wait gives up on
// this round and says why, instead of writing lists and marks under another's feet.
namespace {

class FolderLock {
 public:
  FolderLock(const fs::path& folder, std::chrono::milliseconds wait,
             const std::atomic<bool>& stopping) {
    fd_.reset(::open((folder / ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0640));
    if (!fd_) {
      problem_ = "cannot open " + (folder / ".lock").string() + ": " + std::strerror(errno);
      return;
    }
    const auto give_up = std::chrono::steady_clock::now() + wait;
    while (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        problem_ = "cannot lock the state folder: " + std::string(std::strerror(errno));
        return;
      }
      if (stopping || std::chrono::steady_clock::now() >= give_up) {
        problem_ = "another kakunin process is writing the state folder " + folder.string();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    held_ = true;
  }
  ~FolderLock() {
    if (held_) ::flock(fd_.get(), LOCK_UN);
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  bool held() const { return held_; }
  const std::string& problem() const { return problem_; }

 private:
  base::UniqueFd fd_;
  bool held_ = false;
  std::string problem_;
};

}  // namespace

void Syncer::load_held() {
  std::lock_guard round(round_mutex_);
  const FolderLock folder(settings_.state_dir, settings_.state_lock_wait, stopping_);
  if (!folder.held()) {
    log_.error("held lists not loaded: " + folder.problem());
    return;
  }
  // Temporary files a crash or power cut left during a replacement.
  base::remove_stale_temp_files(settings_.state_dir, kStaleTempAge);
  if (!read_record()) return;
  reload_if_changed(*held_trust_);
  reload_if_changed(*held_revocations_);
  save_record();
}

// Reads the folder's state record (high-water marks, owner). False when the held
// lists must not be used: the record is unreadable (fail closed: without the marks
// an older list could be put back; a verified download rewrites the record), or the
// folder belongs to a service with another mode or other pinned keys and this is an
// operator's run.
bool Syncer::read_record() {
  const bool first = !record_read_;
  record_read_ = true;
  const StateRecordRead read = read_state_record(settings_.state_dir);
  if (read.status == StateRecordRead::Status::unreadable) {
    const std::string line = "the state record " +
                             (settings_.state_dir / kStateRecordName).string() +
                             " cannot be trusted (" + read.problem + ")";
    record_dirty_ = true;  // the marks held in memory, or the first verified list, rewrite it
    if (first) {
      record_usable_ = false;
      if (settings_.owns_state_dir) record_->owner = owner_of(settings_.mode, pins_);
      set_problem(line + ": held lists are not used until a download is verified");
      log_.error(line + ": held lists are not used until a download is verified");
      return false;
    }
    log_.error(line + ": rewriting it from the marks held in memory");
    return true;
  }
  // Another writer (an operator's `kakunin sync --once`) may have raised a mark
  // since: the higher of the two stands, and ours is written back only if higher.
  const StateRecord on_disk = read.record;
  for (const auto& [series, sequence] : on_disk.high_water) record_->raise(series, sequence);
  for (const auto& [series, sequence] : record_->high_water) {
    if (on_disk.mark(series) != sequence) record_dirty_ = true;
  }
  record_->owner = on_disk.owner;
  if (read.status == StateRecordRead::Status::missing && first) {
    log_.info("no state record yet in " + settings_.state_dir.string() +
              ": the high-water marks start from the lists held now");
    record_dirty_ = true;
  }
  const StateOwner me = owner_of(settings_.mode, pins_);
  if (record_->owner && !compatible(*record_->owner, me)) {
    if (!settings_.owns_state_dir) {
      folder_refusal_ = "the kiosk service uses " + settings_.state_dir.string() + " with " +
                        describe(*record_->owner) + ", this run has " + describe(me) +
                        ": give --state-dir to sync into another folder";
      if (first) {
        set_problem(folder_refusal_);
        log_.error(folder_refusal_);
      }
      return false;
    }
    log_.warn("the state folder was used with " + describe(*record_->owner) +
              "; the configuration now says " + describe(me) +
              ": its lists are checked again under the configuration");
  }
  if (settings_.owns_state_dir && record_->owner != me) {
    record_->owner = me;
    record_dirty_ = true;
  }
  if (!record_usable_ && !first) return true;  // still waiting for a verified download
  record_usable_ = true;
  return true;
}

void Syncer::raise_mark(ListKind kind, std::uint64_t sequence) {
  if (record_->raise(series_of(settings_.mode, kind), sequence)) record_dirty_ = true;
}

void Syncer::save_record() {
  if (!record_dirty_ || !folder_refusal_.empty()) return;
  if (!record_usable_ && record_->high_water.empty()) return;  // nothing verified yet
  const base::Status written = write_state_record(settings_.state_dir, *record_);
  if (!written.ok()) {
    log_.error("cannot save the high-water marks: " + written.error().message);
    return;
  }
  record_dirty_ = false;
  if (!record_usable_) {
    record_usable_ = true;  // a verified download made a new record
    clear_problems();
  }
}

std::optional<std::uint64_t> Syncer::floor_of(const Held& h) const {
  return highest(h.sequence, record_->mark(series_of(settings_.mode, h.kind)));
}

void Syncer::set_problem(const std::string& problem) {
  std::lock_guard lock(report_mutex_);
  problems_.push_back(problem);
}

void Syncer::clear_problems() {
  std::lock_guard lock(report_mutex_);
  problems_.clear();
}

std::vector<std::string> Syncer::problems() const {
  std::lock_guard lock(report_mutex_);
  std::vector<std::string> out = problems_;
  for (const Held* h : {held_trust_.get(), held_revocations_.get()}) {
    if (!h->refusal.empty()) out.push_back(h->refusal);
  }
  return out;
}

std::optional<std::string> Syncer::foreign_state_folder() const {
  std::lock_guard round(round_mutex_);
  if (folder_refusal_.empty()) return std::nullopt;
  return folder_refusal_;
}

bool Syncer::held_list_rolled_back() const {
  std::lock_guard lock(report_mutex_);
  return !held_trust_->refusal.empty() || !held_revocations_->refusal.empty();
}

// Picks up the held file when it changed on disk since we last read or wrote it:
// at start-up, or after an operator ran `kakunin sync --once` or copied a list
// from a USB stick. The same checks as a download apply, anti-rollback included.
void Syncer::reload_if_changed(Held& h) {
  if (!record_usable_) return;
  const auto stamp = stamp_of(h.path);
  if (!stamp || stamp == h.stamp) return;
  h.stamp = stamp;
  const std::string what(list_kind_name(h.kind));
  const auto bytes =
      base::read_file_bytes(h.path, static_cast<std::size_t>(settings_.transport.max_bytes));
  if (!bytes.ok()) {
    log_.error("held " + what + " not used: " + bytes.error().message);
    return;
  }
  const CheckedList checked = check_list(h.kind, bytes.value(), pins_,
                                         crypto::HighWaterMark::at(floor_of(h)), store_.mode());
  if (!checked.header) {
    const std::string line = "held " + what + " " + h.path.string() + " not used: " + checked.error;
    log_.error(line);
    if (checked.rollback) {
      std::lock_guard lock(report_mutex_);
      h.refusal = line;
    }
    return;
  }
  {
    std::lock_guard lock(report_mutex_);
    h.refusal.clear();
  }
  raise_mark(h.kind, checked.header->sequence);
  if (h.sequence == checked.header->sequence) return;
  if (checked.trust) store_.set_trust_list(checked.trust);
  if (checked.revocations) store_.set_revocations(checked.revocations);
  h.sequence = checked.header->sequence;
  h.sha256 = sha256_hex(bytes.value());
  read_validators(h.meta_path, h.sha256, &h.validators);
  log_.info("held " + what + " loaded from " + h.path.string() + " (sequence " +
            std::to_string(*h.sequence) + ")");
}

RoundReport Syncer::sync_once() {
  std::lock_guard round(round_mutex_);
  heartbeat_.working();
  RoundReport report;
  const FolderLock folder(settings_.state_dir, settings_.state_lock_wait, stopping_);
  if (!folder.held() || !read_record_for_round()) {
    const std::string reason = !folder.held() ? folder.problem() : folder_refusal_;
    report = {
        {ListKind::trust_list, ListOutcome::Result::failed, held_trust_->sequence, reason},
        {ListKind::revocations, ListOutcome::Result::failed, held_revocations_->sequence, reason}};
    log_.error("sync round skipped: " + reason);
  } else {
    report = {sync_list(ListKind::trust_list), sync_list(ListKind::revocations)};
    save_record();
  }
  heartbeat_.waiting();
  report.finished_at = clock_.wall_now();
  std::lock_guard lock(report_mutex_);
  last_report_ = report;
  return report;
}

// Before a round: the record as load_held() read it. An unreadable record does not
// stop downloads (a verified one rewrites it); a folder of another owner does.
bool Syncer::read_record_for_round() {
  (void)read_record();  // an untrustworthy record does not stop downloads
  return folder_refusal_.empty();
}

std::optional<RoundReport> Syncer::last_report() const {
  std::lock_guard lock(report_mutex_);
  return last_report_;
}

ListOutcome Syncer::sync_list(ListKind kind) {
  Held& h = held(kind);
  const std::string& url =
      kind == ListKind::trust_list ? settings_.trust_list_url : settings_.revocations_url;
  if (url.empty()) {
    reload_if_changed(h);
    return {kind, ListOutcome::Result::not_configured, h.sequence,
            std::string(list_kind_name(kind)) + ": no URL configured"};
  }
  reload_if_changed(h);
  const net::Validators validators = h.sequence ? h.validators : net::Validators{};
  net::GetResult fetched = fetch_with_retries(kind, url, validators);
  if (fetched.server_date && on_server_date_) {
    on_server_date_(*fetched.server_date, fetched.received_at, host_of(url));
  }
  const std::string what(list_kind_name(kind));
  const std::string from = " from " + net::url_for_log(url);
  switch (fetched.status) {
    case net::GetResult::Status::failed:
    case net::GetResult::Status::cancelled: {
      ListOutcome out{kind, ListOutcome::Result::failed, h.sequence,
                      what + " download" + from + " failed, " + held_description(h.sequence) +
                          ": " + fetched.error};
      log_.warn(out.reason);
      return out;
    }
    case net::GetResult::Status::not_modified: {
      ListOutcome out{kind, ListOutcome::Result::unchanged, h.sequence,
                      what + from + " not modified (HTTP 304), " + held_description(h.sequence)};
      log_.info(out.reason);
      return out;
    }
    case net::GetResult::Status::fetched:
      break;
  }
  return take_download(h, url, std::move(fetched));
}

ListOutcome Syncer::take_download(Held& h, const std::string& url, net::GetResult fetched) {
  const std::string what(list_kind_name(h.kind));
  const std::string from = " from " + net::url_for_log(url);
  const CheckedList checked = check_list(h.kind, fetched.body, pins_,
                                         crypto::HighWaterMark::at(floor_of(h)), store_.mode());
  if (!checked.header) {
    ListOutcome out{
        h.kind, ListOutcome::Result::refused, h.sequence,
        what + from + " refused, " + held_description(h.sequence) + ": " + checked.error};
    log_.warn(out.reason);
    return out;
  }
  std::string error;
  if (h.sequence == checked.header->sequence) {
    // Same list (or a re-signed copy of it): nothing changes, but remember the
    // server's validators so the next round costs a 304.
    if (!fetched.validators.empty() && fetched.validators.etag != h.validators.etag) {
      h.validators = fetched.validators;
      if (!write_validators(h.meta_path, h.sha256, h.validators, &error)) {
        log_.warn(what + ": cannot save the HTTP validators: " + error);
      }
    }
    ListOutcome out{h.kind, ListOutcome::Result::unchanged, h.sequence,
                    what + from + " unchanged (sequence " + std::to_string(*h.sequence) + ")"};
    log_.info(out.reason);
    return out;
  }
  if (const base::Status saved =
          base::write_file_atomically(h.path, fetched.body, kHeldFileOptions);
      !saved.ok()) {
    ListOutcome out{h.kind, ListOutcome::Result::failed, h.sequence,
                    what + from + " could not be saved, " + held_description(h.sequence) + ": " +
                        saved.error().message};
    log_.error(out.reason);
    h.stamp.reset();  // the file may have been replaced after all: re-read next round
    return out;
  }
  const std::optional<std::uint64_t> previous = h.sequence;
  if (checked.trust) store_.set_trust_list(checked.trust);
  if (checked.revocations) store_.set_revocations(checked.revocations);
  h.sequence = checked.header->sequence;
  h.sha256 = sha256_hex(fetched.body);
  h.stamp = stamp_of(h.path);
  // The mark follows the list file (written above): a crash in between leaves the
  // mark below the held list, which the next start raises; never above it.
  raise_mark(h.kind, *h.sequence);
  {
    std::lock_guard lock(report_mutex_);
    h.refusal.clear();
  }
  h.validators = fetched.validators;
  if (!write_validators(h.meta_path, h.sha256, h.validators, &error)) {
    log_.warn(what + ": cannot save the HTTP validators: " + error);
  }
  ListOutcome out{h.kind, ListOutcome::Result::updated, h.sequence,
                  what + from + " updated: sequence " +
                      (previous ? std::to_string(*previous) : std::string("none")) + " -> " +
                      std::to_string(*h.sequence) +
                      (checked.header->test ? " (TEST list, test mode)" : "")};
  log_.info(out.reason);
  return out;
}

net::GetResult Syncer::fetch_with_retries(ListKind kind, const std::string& url,
                                          const net::Validators& validators) {
  const int attempts = 1 + std::max(0, settings_.retry.retries);
  net::GetResult result;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    heartbeat_.working();  // each attempt has its own transfer timeout
    result = fetcher_.get(url, validators, stopping_);
    if (result.status != net::GetResult::Status::failed || !result.retryable) return result;
    if (attempt == attempts) break;
    const auto delay = backoff_delay(settings_.retry, attempt, unit_random());
    log_.info(std::string(list_kind_name(kind)) + " download from " + net::url_for_log(url) +
              " attempt " + std::to_string(attempt) + " failed (" + result.error +
              "), retrying in " + std::to_string(delay.count()) + " ms");
    if (!wait_for(delay)) {
      result.status = net::GetResult::Status::cancelled;
      result.error = "cancelled (stopping)";
      return result;
    }
  }
  if (attempts > 1) result.error += " (after " + std::to_string(attempts) + " attempts)";
  return result;
}

bool Syncer::wait_for(std::chrono::milliseconds delay) {
  heartbeat_.waiting();
  std::unique_lock lock(wait_mutex_);
  const bool stopping = wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
  if (!stopping) heartbeat_.working();
  return !stopping;
}

// One transfer (held to its total timeout), or the wait for the state folder's
// lock, and a minute for checking and writing a list: a slow disk or a large
// revocation list is not mistaken for a stuck thread.
std::chrono::milliseconds Syncer::longest_step() const {
  return std::max(settings_.transport.total_timeout, settings_.state_lock_wait) +
         std::chrono::minutes(1);
}

void Syncer::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run_loop(); });
}

void Syncer::stop() {
  {
    std::lock_guard lock(wait_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Syncer::run_loop() {
  while (!stopping_) {
    const RoundReport report = sync_once();
    // A round that could not reach the server is tried again after the longest
    // backoff rather than a whole interval: a kiosk that booted without network
    // must not wait an hour for lists it may not even hold yet.
    const bool failed = report.trust_list.result == ListOutcome::Result::failed ||
                        report.revocations.result == ListOutcome::Result::failed;
    const auto wait =
        failed ? std::min(settings_.interval, settings_.retry.max) : settings_.interval;
    if (!wait_for(wait)) return;
  }
}

std::optional<SyncSettings> sync_settings_from(const config::KioskConfig& config,
                                               std::string* error) {
  const config::TrustSettings& t = config.trust;
  for (const auto* url : {&t.trust_list_url, &t.revocations_url}) {
    if (url->empty()) continue;
    if (auto bad = net::check_url(*url, net::UrlUse::list_source)) {
      *error =
          (url == &t.trust_list_url ? "trust.trust_list_url: " : "trust.revocations_url: ") + *bad;
      return std::nullopt;
    }
  }
  auto positive = [&](int value, const char* key) {
    if (value > 0) return true;
    *error = std::string(key) + " must be at least 1";
    return false;
  };
  if (!positive(t.interval_minutes, "trust.interval_minutes") ||
      !positive(t.connect_timeout_seconds, "trust.connect_timeout_seconds") ||
      !positive(t.total_timeout_seconds, "trust.total_timeout_seconds") ||
      !positive(t.backoff_initial_seconds, "trust.backoff_initial_seconds") ||
      !positive(t.backoff_max_seconds, "trust.backoff_max_seconds")) {
    return std::nullopt;
  }
  if (t.retries < 0) {
    *error = "trust.retries must be 0 or more";
    return std::nullopt;
  }
  if (t.max_bytes <= 0) {
    *error = "trust.max_bytes must be at least 1";
    return std::nullopt;
  }
  if (t.state_dir.empty()) {
    *error = "trust.state_dir must name a folder";
    return std::nullopt;
  }
  SyncSettings s;
  s.trust_list_url = t.trust_list_url;
  s.revocations_url = t.revocations_url;
  s.state_dir = t.state_dir;
  s.mode = config.kiosk.mode;
  s.transport.connect_timeout = std::chrono::seconds(t.connect_timeout_seconds);
  s.transport.total_timeout = std::chrono::seconds(t.total_timeout_seconds);
  // Slower than 1 KiB/s for a third of the total timeout (1..30 s): a drip.
  s.transport.low_speed_bytes_per_second = 1024;
  s.transport.low_speed_time = std::chrono::seconds(std::clamp(t.total_timeout_seconds / 3, 1, 30));
  s.transport.max_bytes = t.max_bytes;
  s.transport.ca_file = t.ca_file;
  s.transport.public_key_pin = t.public_key_pin;
  s.transport.proxy = t.proxy;
  s.transport.no_proxy = t.no_proxy;
  s.retry.retries = t.retries;
  s.retry.initial = std::chrono::seconds(t.backoff_initial_seconds);
  s.retry.max = std::chrono::seconds(t.backoff_max_seconds);
  s.interval = std::chrono::minutes(t.interval_minutes);
  return s;
}

std::optional<crypto::FreshnessPolicy> freshness_policy_from(const config::KioskConfig& config,
                                                             std::string* error) {
  crypto::FreshnessPolicy::Settings settings;
  settings.max_age_seconds = config.freshness.max_age_seconds;
  settings.max_ahead_seconds = config.freshness.max_ahead_seconds;
  settings.list_grace_seconds = std::int64_t{config.freshness.list_grace_days} * 24 * 3600;
  settings.skip_freshness_in_test_mode = config.freshness.skip_for_printed_sheets;
  std::string problem;
  auto policy = crypto::FreshnessPolicy::from(settings, &problem);
  if (!policy) *error = "freshness: " + problem;
  return policy;
}

}  // namespace kakunin::sync
