// Kakunin list sync: keeps the kiosk's trust list and revocation list current.
//
//   TrustStore store(crypto::Mode::production, policy);      // what the verifier uses
//   Syncer syncer(settings, pins, store, logger, on_server_date);  // base::Logger
//   syncer.load_held();   // the last good lists from state_dir, at start-up
//   syncer.start();       // a background round every `interval`; stop() returns promptly
//   auto verifier = store.verifier();  // a consistent pair of lists, swapped atomically
//
// A round downloads each list through kakunin_net (https:// with TLS always
// verified, or file:// for a USB stick), and replaces the held list only when the
// new one loads under a pinned key, its sequence is not lower than the held one
// (anti-rollback) and its test flag suits the kiosk mode. Replacement on disk is
// atomic (base::write_file_atomically: temporary file in the same folder, fsync,
// rename, fsync of the folder): a crash or power cut leaves the old or the new
// whole list, never a part. Otherwise the held list stays and the reason is
// logged as one English line. Details and settings: docs/sync.md.
//
// No function here throws across this header; failures are values.
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/base/heartbeat.h>
#include <kakunin/base/log.h>
#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/net/net.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace kakunin::sync {

struct StateRecord;
using crypto::UnixSeconds;

// ---------------------------------------------------------------- transport --
// Downloads go through kakunin_net (kakunin/net/net.h): net::Client with
// net::UrlUse::list_source (https:// with TLS always verified, redirects https
// only, or file:// read off the sync thread so a hung share cannot hold it past
// total_timeout or stop()), net::check_url, net::url_for_log.

// ------------------------------------------------------------------- retry --

struct RetryPolicy {
  int retries = 4;  // further attempts after the first, per list per round
  std::chrono::milliseconds initial{2'000};
  std::chrono::milliseconds max{300'000};
};

// The wait before retry `attempt` (1 = the first retry): initial * 2^(attempt-1),
// capped at max, with "equal jitter": half of it fixed, half scaled by
// `unit_random` in [0, 1), so kiosks that lost the network together do not
// return together.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt, double unit_random);

// -------------------------------------------------------------- the store --

// How current the held lists are, for the screens.
enum class TrustState {
  usable,         // both lists held and before their next_update
  stale_warning,  // a list is past next_update but within the grace: amber warning
  unusable,       // a list is missing or past next_update + grace: every QR is no_trust_list
};
std::string_view trust_state_name(TrustState state);  // "usable", "stale_warning", "unusable"

// A consistent pair of lists and the verifier made from them.
struct TrustSnapshot {
  std::shared_ptr<const crypto::TrustList> trust_list;
  std::shared_ptr<const crypto::RevocationList> revocations;
  std::shared_ptr<const crypto::Verifier> verifier;
};

// The lists the kiosk verifies with. Thread-safe: readers take a snapshot (a
// shared_ptr copy) and keep using it while the sync thread swaps in new lists.
class TrustStore {
 public:
  TrustStore(crypto::Mode mode, crypto::FreshnessPolicy policy);

  TrustSnapshot snapshot() const;
  std::shared_ptr<const crypto::Verifier> verifier() const { return snapshot().verifier; }
  void set_trust_list(std::shared_ptr<const crypto::TrustList> list);
  void set_revocations(std::shared_ptr<const crypto::RevocationList> list);

  // Uses the same rule as the verifier (FreshnessPolicy::list_grace_seconds), so
  // `unusable` on screen and the no_trust_list verdict always agree.
  TrustState state(UnixSeconds now) const;

  crypto::Mode mode() const { return mode_; }
  const crypto::FreshnessPolicy& policy() const { return policy_; }

 private:
  void publish(std::shared_ptr<const crypto::TrustList> trust,
               std::shared_ptr<const crypto::RevocationList> revocations);

  crypto::Mode mode_;
  crypto::FreshnessPolicy policy_;
  std::mutex writer_mutex_;   // one replacement at a time
  mutable std::mutex mutex_;  // guards current_ (held only for a pointer copy)
  std::shared_ptr<const TrustSnapshot> current_;
};

// Why a list with this header may not be used in `mode` (English), or nullopt:
// a production kiosk never takes a test list.
std::optional<std::string> refusal_for_mode(const crypto::ListHeader& header, crypto::Mode mode);

// ------------------------------------------------------------------ syncer --

enum class ListKind { trust_list, revocations };
std::string_view list_kind_name(ListKind kind);  // "trust list", "revocation list"
std::string_view held_file_name(ListKind kind);  // "trustlist.cose", "revocations.cose"

struct SyncSettings {
  std::string trust_list_url;  // https:// or file://; empty: not synced
  std::string revocations_url;
  std::filesystem::path state_dir = "/var/lib/kakunin/trust";
  crypto::Mode mode = crypto::Mode::production;
  net::TransferSettings transport;
  RetryPolicy retry;
  std::chrono::milliseconds interval{60 * 60 * 1000};
  // true for the kiosk service: the state folder is its own, a change of mode or
  // pinned keys in the configuration is adopted. false for an operator's
  // `kakunin sync --once`: a folder the service uses with another mode or other
  // pinned keys is left untouched (the round fails with the reason).
  bool owns_state_dir = true;
  // How long a round waits for another writer of the state folder (the service's
  // sync thread or an operator's run) before it gives up on this round.
  std::chrono::milliseconds state_lock_wait{30'000};
};

// The sync settings from the configuration file's values; nullopt with an English
// reason when they cannot work (an http:// URL, a negative timeout, ...).
std::optional<SyncSettings> sync_settings_from(const config::KioskConfig& config,
                                               std::string* error);
// The freshness policy from the configuration; nullopt with an English reason when
// a value is outside what the verifier accepts.
std::optional<crypto::FreshnessPolicy> freshness_policy_from(const config::KioskConfig& config,
                                                             std::string* error);

struct ListOutcome {
  enum class Result {
    updated,         // a newer list was checked and replaced the held one
    unchanged,       // the server has the same sequence as held (or a 304)
    refused,         // downloaded but not taken: signature, rollback, test list, ...
    failed,          // not downloaded: network, TLS, HTTP status, size, timeout
    not_configured,  // no URL for this list
  };
  ListKind kind = ListKind::trust_list;
  Result result = Result::not_configured;
  std::optional<std::uint64_t> held_sequence;  // after the round
  std::string reason;                          // the logged line
  bool ok() const { return result == Result::updated || result == Result::unchanged; }
};
std::string_view list_result_name(ListOutcome::Result result);

struct RoundReport {
  ListOutcome trust_list;
  ListOutcome revocations;
  UnixSeconds finished_at = 0;  // the clock's wall time when the round ended (status page)
};

// Called with the sync server's Date header, the local time it arrived and the
// server's host name (for the status page: where the clock's offset comes from),
// for the clock check (kakunin/sync/clock.h).
using ServerDateObserver =
    std::function<void(UnixSeconds server_date, UnixSeconds local_time, std::string_view server)>;

class Syncer {
 public:
  // `log` gets one English line per event (URLs without user names, passwords or
  // query strings; the lists hold no personal data).
  // The server's Date is compared with `clock`'s wall time (tests pass a
  // base::FakeClock); it must outlive the syncer.
  Syncer(SyncSettings settings, crypto::PinnedKeys pins, TrustStore& store, base::Logger log,
         ServerDateObserver on_server_date = {}, const base::Clock& clock = base::system_clock());
  ~Syncer();  // stops the background thread
  Syncer(const Syncer&) = delete;
  Syncer& operator=(const Syncer&) = delete;

  // Loads the lists held in state_dir into the store (at start-up, and before each
  // round when an operator replaced a file). A held file that no longer loads
  // (wrong key, test list in production) is logged and not used.
  void load_held();

  // One round: both lists, with retries. Blocks; stop() interrupts it.
  RoundReport sync_once();

  // A round now and then every `interval`, on a background thread; after a round
  // in which a download failed, the next comes after retry.max (if shorter).
  void start();
  // Interrupts a running transfer or wait and joins; returns within about a second.
  void stop();

  // The last round's report, if any round finished (for status screens).
  std::optional<RoundReport> last_report() const;
  // For the watchdog: waiting between rounds and between retries, working from
  // each transfer attempt (or the state-folder lock) on, on `clock`'s steady time.
  // No step of a round works longer than longest_step() unless it is stuck.
  const base::Heartbeat& heartbeat() const { return heartbeat_; }
  std::chrono::milliseconds longest_step() const;

  // What keeps held lists out of use now, one English line each (a held file
  // refused as a rollback, an untrustworthy state record, a folder of another
  // owner); empty when nothing does. For the log, the status page and the CLI.
  std::vector<std::string> problems() const;
  // True while a held list file is refused for a sequence below the high-water
  // mark (an older list was put back): the status page says so.
  bool held_list_rolled_back() const;
  // For an operator's run (owns_state_dir false): why the state folder was left
  // alone, when it belongs to a service with another mode or other pinned keys.
  std::optional<std::string> foreign_state_folder() const;

 private:
  struct Held;
  ListOutcome sync_list(ListKind kind);
  void reload_if_changed(Held& held);
  bool read_record();
  bool read_record_for_round();
  void save_record();
  void raise_mark(ListKind kind, std::uint64_t sequence);
  std::optional<std::uint64_t> floor_of(const Held& held) const;
  void set_problem(const std::string& problem);
  void clear_problems();
  ListOutcome take_download(Held& held, const std::string& url, net::GetResult fetched);
  net::GetResult fetch_with_retries(ListKind kind, const std::string& url,
                                    const net::Validators& v);
  bool wait_for(std::chrono::milliseconds delay);  // false when stopping
  void run_loop();
  Held& held(ListKind kind);

  SyncSettings settings_;
  crypto::PinnedKeys pins_;
  TrustStore& store_;
  base::Logger log_;
  ServerDateObserver on_server_date_;
  const base::Clock& clock_;
  net::Client fetcher_;
  std::unique_ptr<Held> held_trust_;
  std::unique_ptr<Held> held_revocations_;
  // The state record (high-water marks, owner); touched only inside a round.
  std::unique_ptr<StateRecord> record_;
  bool record_read_ = false;
  bool record_usable_ = false;
  bool record_dirty_ = false;
  std::string folder_refusal_;  // set when the folder belongs to another owner

  base::Heartbeat heartbeat_;       // written by whichever thread runs the round
  mutable std::mutex round_mutex_;  // one round at a time (background thread and sync_once)
  std::atomic<bool> stopping_{false};
  std::mutex wait_mutex_;
  std::condition_variable wake_;
  std::thread thread_;
  mutable std::mutex report_mutex_;  // guards last_report_, problems_, Held::refusal
  std::optional<RoundReport> last_report_;
  std::vector<std::string> problems_;
};

}  // namespace kakunin::sync
