// The オンライン資格確認 round trip through the clinic's 資格確認端末 (docs/online.md).
// After a valid verdict the kiosk asks the national system itself, the way a
// receipt computer does when staff type the certificate in: it drops an
// OQSsiquc01req request into the terminal's `req` folder and reads the 連携アプリ's
// OQSsiquc01res answer from `res`.
//
//   auto created = online::OnlineCheck::create(config.online, {.kiosk_id = config.kiosk.id,
//                                                              .clock = &clock, .log = log});
//   if (!created.check) log(created.error);     // folders unusable, template refused
//   auto ticket = created.check->ask(*result.presentation(), now);   // never waits
//   // each turn of the main loop:
//   online::OnlineStatus status = created.check->status(ticket);     // pending, then final
//   if (auto answer = created.check->answer(ticket)) handoff.send(..., answer.get());
//
// One worker thread writes the requests and watches `res` (inotify, and a look
// every poll_interval for shares inotify cannot see). ask() and status() only
// touch memory, so a hung share never stops the screen: a request that was not
// answered within online.timeout_seconds is `unavailable` / `timed_out`, whatever
// the worker is stuck in. Requests live in memory only: a restarted kiosk never
// sends an old one again. Logs carry the request's random identifier, never
// personal data.
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/base/log.h>
#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/online/status.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace kakunin::online {

// One ResultOfQualificationConfirmation of an answer, in UTF-8, as the file says
// it (fields the kiosk compares or hands over; the rest stays in `document`).
struct Qualification {
  std::string insurer_number;  // as written: 8 characters, a 6-digit 国保 number space-padded
  std::string symbol;          // InsuredCardSymbol, empty when absent
  std::string number;          // InsuredIdentificationNumber
  std::string branch;          // InsuredBranchNumber, empty when absent
  std::string name;            // Name
  std::string birth_date;      // Birthdate, yyyyMMdd
  std::string relationship;    // PersonalFamilyClassification: "1" 本人, "2" 家族, or empty
  std::string ratio;           // InsuredPartialContributionRatio: "030" = 3割, or empty
  std::string valid_until;     // InsuredCardExpirationDate, yyyyMMdd, or empty
  std::string insurer_name;    // InsurerName
};

// A result file the kiosk accepted as the answer to its request.
struct NationalAnswer {
  std::string file_name;  // as the 連携アプリ named it in `res`
  // The whole document converted to UTF-8, its declaration saying so: what the
  // hand-off passes on (re-encoded for the receipt computer's folder).
  std::string document;
  std::string segment_of_result;  // SegmentOfResult: 1 正常終了, 2 処理中, 9 異常終了
  std::string processing_result_status;        // 1 正常終了, 2 エラー (empty when absent)
  std::string validity;                        // QualificationValidity 1..5 (empty when absent)
  std::string code;                            // ProcessingResultCode or ErrorCode, for the vendor
  std::optional<Qualification> qualification;  // the first ResultOfQualificationConfirmation
};

struct OnlineOptions {
  std::string kiosk_id = "kakunin";
  const base::Clock* clock = nullptr;  // nullptr: the system clock
  base::Logger log;
  // How often `res` is looked at besides inotify (shares, where inotify sees nothing).
  std::chrono::milliseconds poll_interval{std::chrono::milliseconds(200)};
  // How long the destructor waits for a worker stuck on a share before leaving it.
  std::chrono::milliseconds stop_timeout{std::chrono::seconds(2)};
  // An answer file that has not changed for this long is read even without
  // inotify's close-write (a share, or a writer that never closes).
  std::chrono::milliseconds settle_time{std::chrono::milliseconds(150)};
};

// The seam the kiosk's counter asks through (tests pass their own).
class OnlineAsker {
 public:
  virtual ~OnlineAsker() = default;
  // Never waits; returns the ticket.
  virtual std::uint64_t ask(const crypto::VerifiedPresentation& presentation,
                            crypto::UnixSeconds checked_at) = 0;
  // What is known now; final once answered, refused or timed out.
  virtual OnlineStatus status(std::uint64_t ticket) const = 0;
  // The accepted answer, once status() is final with one (nullptr otherwise).
  virtual std::shared_ptr<const NationalAnswer> answer(std::uint64_t ticket) const = 0;
};

class OnlineCheck final : public OnlineAsker {
 public:
  struct Created {
    std::unique_ptr<OnlineCheck> check;
    std::string error;  // English: why not (settings, template, folders)
  };
  // Checks the settings and the request template and starts the worker. The
  // folders need not be reachable yet (a share mounted later is used then).
  static Created create(const config::OnlineSettings& settings, OnlineOptions options);

  ~OnlineCheck() override;
  OnlineCheck(const OnlineCheck&) = delete;
  OnlineCheck& operator=(const OnlineCheck&) = delete;

  // Asks about a certificate the verifier found valid. Never waits: the request is
  // rendered here (no I/O) and written by the worker. Returns the ticket.
  std::uint64_t ask(const crypto::VerifiedPresentation& presentation,
                    crypto::UnixSeconds checked_at) override;
  // An unknown ticket is unavailable / not_asked.
  OnlineStatus status(std::uint64_t ticket) const override;
  std::shared_ptr<const NationalAnswer> answer(std::uint64_t ticket) const override;
  // When the answer was accepted, for the round-trip figure (nullopt before).
  std::optional<base::SteadyTime> answered_at(std::uint64_t ticket) const;

  struct Figures {
    std::uint64_t asked = 0;
    std::uint64_t answered = 0;
    std::uint64_t timed_out = 0;
    std::uint64_t refused_files = 0;  // result files refused as hostile or broken
    std::uint64_t write_failures = 0;
    std::optional<crypto::UnixSeconds> last_answer = std::nullopt;  // when the newest came (wall)
  };
  Figures figures() const;

  struct State;  // shared with the worker (which may outlive the check on a hung share)

 private:
  explicit OnlineCheck(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace kakunin::online
