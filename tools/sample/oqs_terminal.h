// A 資格確認端末 (the オンライン資格確認 連携アプリ) simulated on a sample world, for
// tests, field tests and the demo: it takes the OQSsiquc01req_<suffix>.xml requests
// the kiosk drops into `req` and answers each with OQSsiquc01res_<suffix>.xml in
// `res`, looked up in the world's roster, the way the real link software answers
// from the national system. Modes make the faults a kiosk must survive: no answer,
// a late one, an error, a lost or unknown certificate, a wrong ratio, a broken, a
// huge or a piecemeal file, and an answer to another request.
//
//   TerminalOptions options;
//   options.req_dir = req;  options.res_dir = res;  options.mode = TerminalMode::lost;
//   TerminalSimulator terminal(world, options);
//   terminal.answer_pending();  // tests: what is in `req` now
//   terminal.run(stop);         // kakunin-sample terminal: until stop is true
//
// Everything it writes is about fictitious members; its events and errors are
// English and carry file names, never names or numbers.
#pragma once

#include "sample_world.h"

#include <kakunin/base/clock.h>
#include <kakunin/base/result.h>
#include <kakunin/config/config.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::sample {

enum class TerminalMode {
  answer,         // the roster's answer: entitled (1), or not found (4) for a stranger
  no_answer,      // takes the request and writes nothing
  late,           // answers after `delay` (30 s when it is 0)
  error,          // an error answer: SegmentOfResult 9, ProcessingResultStatus 2, EOQS4001
  lost,           // QualificationValidity 2 (資格喪失)
  not_found,      // QualificationValidity 4 (該当資格なし), whoever asks
  other_ratio,    // entitled, with a 負担割合 other than the certificate's
  malformed,      // a document cut in the middle of an element
  oversized,      // a well-formed answer padded past 1 MiB
  in_pieces,      // the final name written directly, in four pieces with pauses
  other_request,  // an answer whose ArbitraryFileIdentifier is not the request's
};

// The CLI's names: "answer", "no-answer", "late", "error", "lost", "not-found",
// "other-ratio", "malformed", "oversized", "in-pieces", "other-request".
std::optional<TerminalMode> terminal_mode_from_name(std::string_view name);
std::string_view terminal_mode_name(TerminalMode mode);
std::vector<std::string> terminal_mode_names();  // every name above, in that order

// One request taken from `req`.
struct TerminalEvent {
  std::string request_file;  // OQSsiquc01req_<suffix>.xml
  std::string answer_file;   // OQSsiquc01res_<suffix>.xml; empty when nothing was written
  TerminalMode mode = TerminalMode::answer;
  // English, no personal data: "entitled", "not found: no such member", "error answer:
  // the request does not parse", "not answered", "not written: ..."
  std::string outcome;
};

struct TerminalOptions {
  std::filesystem::path req_dir, res_dir;
  config::XmlEncoding encoding = config::XmlEncoding::utf8;
  TerminalMode mode = TerminalMode::answer;
  std::chrono::milliseconds delay{0};          // before answering (late: 30 s if 0)
  std::chrono::milliseconds piece_pause{100};  // in_pieces: pause between pieces
  // Called once per request taken, from the thread that answers it.
  std::function<void(const TerminalEvent&)> on_request;
  // Called with each new last_error() (a repeat of the last one is not called again,
  // so a folder that stays unreadable is reported once).
  std::function<void(const std::string&)> on_error;
  const base::Clock* clock = nullptr;  // ProcessExecutionTime; nullptr: the system clock
};

// The answer file's size in oversized mode: past the 1 MiB any reader should cap at.
inline constexpr std::size_t kOversizedAnswerBytes = (1u << 20) + 4096;

class TerminalSimulator {
 public:
  TerminalSimulator(const SampleWorld& world, TerminalOptions options);

  // Answers every request now in req_dir, each once (a request read is removed
  // from req, as the 連携アプリ takes it); returns how many it took. Sleeps `delay`
  // before each answer.
  int answer_pending();
  // Watches req_dir every 50 ms until `stop` is true, answering each request; a
  // delay is cut short by `stop` (that request then stays unanswered).
  void run(const std::atomic<bool>& stop);

  // The last thing that went wrong (a folder that cannot be listed, an answer that
  // cannot be written), English without personal data; nullopt when nothing did.
  std::optional<std::string> last_error() const;

 private:
  int take_pending(const std::atomic<bool>* stop);
  bool take(const std::filesystem::path& request, const std::atomic<bool>* stop);
  bool wait_before_answering(const std::atomic<bool>* stop) const;
  base::Result<std::string> render_answer(const base::Result<std::string>& bytes,
                                          TerminalEvent& event);
  void write_answer(const std::filesystem::path& path, const std::string& bytes,
                    TerminalEvent& event);
  void report(const TerminalEvent& event);
  void fail(const std::string& reason);

  SampleWorld world_;
  TerminalOptions options_;
  std::set<std::string> stuck_;  // requests that could not be removed: never taken again
  int answered_ = 0;             // numbers other_request's identifiers
  mutable std::mutex error_mutex_;
  std::optional<std::string> last_error_;  // guarded by error_mutex_
};

}  // namespace kakunin::sample
