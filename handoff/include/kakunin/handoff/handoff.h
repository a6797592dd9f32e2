// Kakunin hand-off: gives a verified 資格確認書【web】 to the receipt computer (レセコン)
// so nobody retypes it. The one public header of the handoff library.
//
// Three channels, each switched on by its setting (docs/handoff.md):
//   xml   an OQSsiquc01res_*.xml result file in the レセコン's `res` folder, in the
//         shape the オンライン資格確認 link software writes (UTF-8 or Shift_JIS/CP932)
//   json  our own versioned JSON record ("format": "kakunin-handoff", "version": 1)
//   post  the same JSON POSTed to a local HTTP endpoint, through a persistent outbox:
//         written to disk first, delivered in order, retried with backoff until a 2xx,
//         carrying an Idempotency-Key so the receiver can drop a repeat.
//
// Use:
//   auto created = Handoff::create(config.handoff, config.kiosk.id);
//   if (!created.handoff) log(created.error);          // bad URL, unusable outbox
//   created.handoff->start();                          // background POST sender
//   SendStatus s = created.handoff->send(*result.presentation(), now);
//   if (!s.ok()) show_retype_hint(s);                  // per-channel reasons
//   status_page(created.handoff->queue());             // pending count, last error
//
// Files are written atomically (temp file in the same folder, fsync, rename, fsync of
// the folder): a reader never sees half a file. Logs name only sequence numbers and
// outcomes, never personal data. Nothing here throws across this header.
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>

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
  written,  // xml / json: the file is in place
  queued,   // post: safely in the outbox; the sender delivers it
  failed,   // nothing handed over on this channel; `detail` says why
};

struct ChannelResult {
  Channel channel;
  ChannelOutcome outcome;
  // English, for logs and the vendor: what failed (no personal data). Empty on success.
  std::string detail;
  std::filesystem::path file;  // the file written (xml, json) or queued (post)
};

struct SendStatus {
  enum class Kind {
    handed_over,   // every configured channel succeeded (see `channels`)
    partial,       // some channels failed
    failed,        // every configured channel failed, or the record was refused
    disabled,      // handoff.enabled is false, or no channel is configured
  };
  Kind kind = Kind::disabled;
  std::uint64_t sequence = 0;  // this hand-off's number (file names, Idempotency-Key)
  std::string detail;          // English; why the whole record was refused, if it was
  std::vector<ChannelResult> channels;

  bool ok() const { return kind == Kind::handed_over; }
};

// Figures for the status page. No personal data.
struct QueueFigures {
  std::size_t pending = 0;                          // hand-offs in the outbox
  std::optional<std::uint64_t> oldest_pending;      // its sequence number
  std::uint64_t delivered = 0;                      // since this object was created
  int consecutive_failures = 0;                     // POST attempts since the last 2xx
  std::string last_error;                           // English, e.g. "HTTP 500", empty if none
  std::optional<std::chrono::system_clock::time_point> last_delivery;
  bool sender_running = false;
};

// Knobs that are not in the configuration file: the kiosk sets them from its own
// state, tests shorten the timings.
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
  std::chrono::milliseconds backoff_initial{2000};
  std::chrono::milliseconds backoff_max{300000};
  // Where log lines go (English, no personal data); a default Logger drops them.
  // Written from the caller's thread and from the sender thread, sometimes with the
  // queue locked: the sink must not call back into Handoff.
  base::Logger log;
};

class Handoff {
 public:
  struct Created {
    std::unique_ptr<Handoff> handoff;  // null when the settings cannot work
    std::string error;                 // English, why not
  };
  // Checks the settings (POST URL scheme and host, folders) and opens the outbox:
  // creates it (0700) when missing, removes temp files a crash left behind, and picks
  // up hand-offs still queued from an earlier run. Does not start the sender.
  static Created create(const config::HandoffSettings& settings, std::string kiosk_id,
                        HandoffOptions options = {});

  ~Handoff();  // stops the sender
  Handoff(const Handoff&) = delete;
  Handoff& operator=(const Handoff&) = delete;

  // Hands one verified presentation over on every configured channel. `checked_at` is
  // when the kiosk verified it. Returns when the files are written and the POST is
  // queued (never waits for the HTTP endpoint). Thread-safe. A `res` folder on a
  // network share that hangs blocks the write: call send() off the UI thread.
  SendStatus send(const crypto::VerifiedPresentation& presentation, crypto::UnixSeconds checked_at);

  // The background sender for the POST channel. start() is idempotent; stop() returns
  // promptly (an in-flight request is aborted and stays queued).
  void start();
  void stop();
  // Wakes the sender now instead of at the end of its backoff (e.g. a staff button).
  void retry_now();

  QueueFigures queue() const;
  const config::HandoffSettings& settings() const;

  struct Impl;

 private:
  explicit Handoff(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakunin::handoff
