// Kakunin hand-off: gives a verified 資格確認書【web】 to the receipt computer (レセコン)
// so nobody retypes it. The one public header of the handoff library.
//
// Three channels, each switched on by its setting (docs/handoff.md):
//   xml   an OQSsiquc01res_*.xml result file in the レセコン's `res` folder, in the
//         shape the オンライン資格確認 link software writes (UTF-8 or Shift_JIS/CP932)
//   json  Kakunin's one JSON record of a verified certificate ("format":
//         "kakunin-handoff", "version": 1; built by kakunin/handoff/record.h)
//   post  the same JSON POSTed to a local HTTP endpoint, with an Idempotency-Key
//
// Durable first, then delivered: send() writes the hand-off into the outbox on the
// kiosk's own disk and returns; it never touches a share or the network. One thread
// per channel then delivers from the outbox, oldest first, each with its own retry,
// backoff and timeout, so a hung `res` share delays only the XML channel. Nothing is
// lost by a kill at any moment: what is not yet delivered is in the outbox and goes
// after the restart, under the same file name or Idempotency-Key (a repeat is
// harmless). Memory holds ids, never records.
//
// Use:
//   auto created = Handoff::create(config.handoff, config.kiosk.id, options);
//   if (!created.handoff) log(created.error);        // bad URL, outbox unusable or in use
//   created.handoff->start();                        // channel threads; shares touched there
//   Outcome o = created.handoff->send(*result.presentation(), now);   // o.kind: queued
//   ...
//   if (auto now = created.handoff->outcome(o.sequence)) show(*now);  // sent, queued, failed
//   status_page(created.handoff->queue());           // per channel: pending, answering, error
//   created.handoff->stop();                         // within options.stop_timeout, always
//
// Logs name only sequence numbers, channels and outcomes, never personal data.
// Nothing here throws across this header.
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/base/log.h>
#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/online/online.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::handoff {

enum class Channel { xml, json, post };
std::string_view channel_name(Channel channel);  // "xml", "json", "post"

enum class ChannelOutcome {
  queued,  // in the outbox; the channel delivers it when it can (`detail`: why not yet)
  sent,    // the file is in the folder / the endpoint answered 2xx
  failed,  // will never be handed over on this channel; `detail` says why — staff retype
};

struct ChannelResult {
  Channel channel;
  ChannelOutcome outcome;
  // English, for logs and the status page (no personal data): why it failed, or for
  // `queued` the last attempt's error ("" before the first attempt).
  std::string detail;
  // xml, json: the file it is (or will be) handed over as, in the configured folder.
  std::filesystem::path file;
};

// What became of one hand-off: send() returns it at once (then `queued` at best),
// outcome() and the on_outcome callback report how it went on.
struct Outcome {
  enum class Kind {
    queued,    // safe in the outbox; some channel has yet to deliver, none failed
    sent,      // every channel delivered it
    partial,   // some channel failed (see `channels`), the others sent or queued it
    failed,    // nothing will be handed over: refused, or every channel failed
    disabled,  // handoff.enabled is false, or no channel is configured
  };
  Kind kind = Kind::disabled;
  std::uint64_t sequence = 0;  // the hand-off's id (file names, Idempotency-Key); 0 if refused
  std::string detail;          // English; why the whole hand-off was refused, if it was
  std::vector<ChannelResult> channels;

  // Nothing left to happen: no channel still has it queued.
  bool settled() const {
    for (const ChannelResult& r : channels) {
      if (r.outcome == ChannelOutcome::queued) return false;
    }
    return true;
  }
};
std::string_view outcome_name(Outcome::Kind kind);  // "queued", "sent", ...

// One channel, for the status page. No personal data.
struct ChannelFigures {
  Channel channel;
  std::size_t pending = 0;                      // hand-offs it has yet to deliver
  std::optional<std::uint64_t> oldest_pending;  // the one it is working on
  std::uint64_t delivered = 0;                  // since start
  int consecutive_failures = 0;                 // attempts since the last success
  std::string last_error;                       // English, empty after a success
  std::optional<crypto::UnixSeconds> last_delivery;
  // false while a call on the folder or endpoint has not returned for share_timeout
  // (a hung NFS/SMB share); `stuck_for` says how long.
  bool answering = true;
  std::chrono::milliseconds stuck_for{0};
  bool running = false;  // its thread runs (false before start() and after stop())
};

struct QueueFigures {
  std::vector<ChannelFigures> channels;  // the configured ones, xml, json, post
  std::size_t pending = 0;               // hand-offs some channel has yet to deliver
  std::optional<std::uint64_t> oldest_pending;
  std::size_t quarantined = 0;  // damaged outbox entries moved aside
  std::size_t stranded = 0;     // entries waiting for a channel that is not configured now
  bool running = false;         // between start() and stop()
};

// Knobs that are not in the configuration file: the kiosk sets them from its own
// state, tests shorten the timings.
// The オンライン資格確認 of the certificate handed over: what the national system
// said (final), and its answer when there was one.
struct OnlineCheckResult {
  online::OnlineStatus status;
  std::shared_ptr<const online::NationalAnswer> answer;  // nullptr: no answer came
};

struct HandoffOptions {
  // 10-digit 医療機関コード for MessageHeader/MedicalInstitutionCode; empty leaves
  // the element empty (the kiosk does not know it unless configured).
  std::string medical_institution_code;
  // Results verified against TEST trust lists are refused unless this is set
  // (the kiosk sets it in test mode only), so field-test material never reaches a
  // production レセコン by accident.
  bool hand_over_test_material = false;
  // The endpoint must be on this machine (127.0.0.1, ::1, localhost) unless set.
  bool allow_remote_endpoint = false;
  // Each channel waits this long after a failed attempt, doubling up to the maximum.
  std::chrono::milliseconds backoff_initial{2000};
  std::chrono::milliseconds backoff_max{300000};
  // A call on a share that has not returned after this long shows the channel as
  // not answering (ChannelFigures::answering).
  std::chrono::milliseconds share_timeout{10000};
  // stop() returns within this, whatever the shares do: channels get until then to
  // deliver what is queued; a thread still inside a call on a hung share is left
  // behind (its hand-offs stay in the outbox for the next start).
  std::chrono::milliseconds stop_timeout{5000};
  // Time for last_delivery and share_timeout (tests pass a FakeClock).
  const base::Clock* clock = &base::system_clock();
  // Where log lines go (English, no personal data); a default Logger drops them.
  // Written from send()'s thread and the channel threads, sometimes with the
  // hand-off's lock held: the sink must not call back into Handoff.
  base::Logger log;
  // Called whenever one of the recent hand-offs changes (queued, then sent or
  // failed per channel): e.g. to tell the screen "✓ 送信済み". From send()'s thread
  // and the channel threads, with the hand-off's lock held: keep it short and do
  // not call back into Handoff. Never called once stop() has returned.
  std::function<void(const Outcome&)> on_outcome;
};

class Handoff {
 public:
  struct Created {
    std::unique_ptr<Handoff> handoff;  // null when the settings cannot work
    std::string error;                 // English, why not
  };
  // Checks the settings (POST URL scheme and host) and opens the outbox: creates it
  // (0700) when missing, takes its lock, removes what a crash left half-written,
  // quarantines damaged entries and picks up hand-offs still queued from an earlier
  // run. Never touches the `res`/`json` folders: a hung share cannot stop the
  // kiosk from starting. Does not start the channels.
  static Created create(const config::HandoffSettings& settings, std::string kiosk_id,
                        HandoffOptions options = {});

  ~Handoff();  // stop()
  Handoff(const Handoff&) = delete;
  Handoff& operator=(const Handoff&) = delete;

  // Hands one verified presentation over on every configured channel: renders each
  // channel's file, writes them together into the outbox (fsync'ed, on the kiosk's
  // own disk) and returns `queued` — or `failed` when the outbox cannot take it, so
  // staff know at once to retype. Never waits for a share or the endpoint.
  // Thread-safe; hand-offs are numbered in call order.
  //
  // With `online` (the kiosk asks online, docs/online.md), the record carries what
  // the national system said, and when it answered about the entitlement
  // (confirmed, mismatch, not entitled) the XML channel hands over the national
  // answer itself — the file a face-recognition card reader would give the receipt
  // computer — instead of the kiosk's own result file.
  Outcome send(const crypto::VerifiedPresentation& presentation, crypto::UnixSeconds checked_at,
               const OnlineCheckResult* online = nullptr);

  // The latest state of one of the recent hand-offs (the last 64 sent by this
  // object); nullopt for older or unknown ones.
  std::optional<Outcome> outcome(std::uint64_t sequence) const;

  // Starts one delivery thread per configured channel; each first checks its folder.
  // Idempotent. stop() lets channels deliver what is queued until stop_timeout, then
  // returns; start() may follow again.
  void start();
  void stop();
  // Ends every channel's backoff wait now (e.g. a staff button, or a share is back).
  void retry_now();

  QueueFigures queue() const;
  const config::HandoffSettings& settings() const;

  struct Impl;

 private:
  explicit Handoff(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakunin::handoff
