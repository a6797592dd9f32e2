#include <kakunin/handoff/handoff.h>

#include <kakunin/base/atomic_file.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "handoff_record.h"
#include "http_post.h"
#include "oqs_result_xml.h"
#include "outbox.h"

namespace kakunin::handoff {
namespace {

// XML and JSON files are personal data handed to the レセコン: owner and group only.
constexpr base::WriteOptions kHandedFileOptions{.mode = 0640};
// A write into a shared `res` folder never takes this long, so older temp files there
// are leftovers of a crash, not another kiosk's write in flight.
constexpr std::chrono::seconds kSharedTempMaxAge{600};

using Clock = std::chrono::steady_clock;

std::string check_folder(const std::filesystem::path& dir, std::string_view key) {
  if (dir.empty()) return {};
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return std::string(key) + " " + dir.string() + " is not an existing folder";
  }
  return {};
}

}  // namespace

std::string_view channel_name(Channel channel) {
  switch (channel) {
    case Channel::xml: return "xml";
    case Channel::json: return "json";
    case Channel::post: return "post";
  }
  return "?";
}

struct Handoff::Impl {
  config::HandoffSettings settings;
  std::string kiosk_id;
  HandoffOptions options;

  mutable std::mutex mutex;  // guards outbox, the figures below and stop_requested
  std::condition_variable wake;
  std::unique_ptr<Outbox> outbox;
  std::mutex send_mutex;  // one send() at a time, so sequence order is queue order

  // Sender state, guarded by `mutex`.
  bool stop_requested = false;
  bool wake_requested = false;
  Clock::time_point next_attempt{};
  std::chrono::milliseconds backoff{0};
  std::uint64_t delivered = 0;
  int consecutive_failures = 0;
  std::string last_error;
  std::optional<std::chrono::system_clock::time_point> last_delivery;
  bool running = false;
  std::atomic<bool> abort_request{false};  // read by libcurl's progress callback
  std::mutex lifecycle;  // serialises start() and stop()
  std::thread sender;    // guarded by `lifecycle`

  bool post_configured() const { return !settings.post_url.empty(); }

  ChannelResult write_xml(const crypto::VerifiedPresentation& p, crypto::UnixSeconds checked_at,
                          std::uint64_t sequence) const {
    const OqsResultFile file = render_oqs_result({p, checked_at, kiosk_id, sequence,
                                                  settings.xml_encoding,
                                                  options.medical_institution_code});
    if (!file.ok()) return {Channel::xml, ChannelOutcome::failed, file.error, {}};
    if (const auto written =
            base::write_file_atomically(settings.xml_dir / file.name, file.bytes, kHandedFileOptions);
        !written.ok()) {
      return {Channel::xml, ChannelOutcome::failed, written.error().message, {}};
    }
    return {Channel::xml, ChannelOutcome::written, {}, settings.xml_dir / file.name};
  }

  ChannelResult write_json(const std::string& pretty, crypto::UnixSeconds checked_at,
                           std::uint64_t sequence) const {
    const std::string name = handoff_record_file_name(kiosk_id, checked_at, sequence);
    if (const auto written =
            base::write_file_atomically(settings.json_dir / name, pretty, kHandedFileOptions);
        !written.ok()) {
      return {Channel::json, ChannelOutcome::failed, written.error().message, {}};
    }
    return {Channel::json, ChannelOutcome::written, {}, settings.json_dir / name};
  }

  // Called with `mutex` held.
  ChannelResult queue_post(const std::string& compact, std::uint64_t sequence) {
    if (auto error = outbox->enqueue(sequence, compact); !error.empty()) {
      return {Channel::post, ChannelOutcome::failed, "outbox: " + error, {}};
    }
    wake_requested = true;
    wake.notify_all();
    return {Channel::post, ChannelOutcome::queued, {}, outbox->dir() / Outbox::item_name(sequence)};
  }

  SendStatus send(const crypto::VerifiedPresentation& p, crypto::UnixSeconds checked_at) {
    SendStatus status;
    if (!settings.enabled) {
      status.detail = "hand-off is disabled (handoff.enabled = false)";
      return status;
    }
    if (settings.xml_dir.empty() && settings.json_dir.empty() && !post_configured()) {
      status.detail = "no hand-off channel configured (xml_dir, json_dir, post_url)";
      return status;
    }
    if (p.test_material && !options.hand_over_test_material) {
      status.kind = SendStatus::Kind::failed;
      status.detail = "result verified against TEST lists: not handed to the receipt computer";
      options.log.warn("handoff: refused a test-material result");
      return status;
    }

    std::lock_guard serial(send_mutex);
    std::optional<std::uint64_t> sequence;
    {
      std::lock_guard lock(mutex);
      std::string error;
      sequence = outbox->reserve_sequence(error);
      if (!sequence) {
        status.kind = SendStatus::Kind::failed;
        status.detail = "cannot number the hand-off: " + error;
        options.log.error("handoff: " + status.detail);
        return status;
      }
    }
    status.sequence = *sequence;

    if (!settings.xml_dir.empty()) status.channels.push_back(write_xml(p, checked_at, *sequence));
    const RecordRequest record{p, checked_at, kiosk_id, *sequence};
    if (!settings.json_dir.empty()) {
      status.channels.push_back(write_json(handoff_record_json(record, 2), checked_at, *sequence));
    }
    if (post_configured()) {
      const std::string compact = handoff_record_json(record, -1);
      std::lock_guard lock(mutex);
      status.channels.push_back(queue_post(compact, *sequence));
    }

    const auto failed = std::count_if(status.channels.begin(), status.channels.end(),
                                      [](const ChannelResult& r) {
                                        return r.outcome == ChannelOutcome::failed;
                                      });
    status.kind = failed == 0 ? SendStatus::Kind::handed_over
                  : failed == static_cast<long>(status.channels.size()) ? SendStatus::Kind::failed
                                                                         : SendStatus::Kind::partial;
    log_outcome(status);
    return status;
  }

  void log_outcome(const SendStatus& status) const {
    std::string line = "handoff #" + std::to_string(status.sequence) + ":";
    for (const ChannelResult& r : status.channels) {
      line += " " + std::string(channel_name(r.channel)) + "=";
      line += r.outcome == ChannelOutcome::written  ? "written"
              : r.outcome == ChannelOutcome::queued ? "queued"
                                                    : "FAILED (" + r.detail + ")";
    }
    options.log.log(status.kind == SendStatus::Kind::handed_over ? base::LogLevel::info : base::LogLevel::warn,
                    line);
  }

  // ------------------------------------------------------------- sender --

  void run_sender() {
    std::unique_lock lock(mutex);
    while (!stop_requested) {
      if (outbox->pending().empty()) {
        wake.wait(lock, [&] { return stop_requested || wake_requested; });
        wake_requested = false;
        continue;
      }
      if (Clock::now() < next_attempt) {
        wake.wait_until(lock, next_attempt, [&] { return stop_requested || wake_requested; });
        if (wake_requested) next_attempt = Clock::now();  // a new item or retry_now()
        wake_requested = false;
        continue;
      }
      deliver_oldest(lock);
    }
  }

  // Called with `lock` held; releases it for the network round trip.
  void deliver_oldest(std::unique_lock<std::mutex>& lock) {
    const std::uint64_t sequence = *outbox->pending().begin();
    std::string error;
    const std::optional<std::string> body = outbox->read(sequence, error);
    if (!body) {
      note_failure(sequence, "outbox: " + error);
      return;
    }
    // Header-safe: a kiosk id with other characters cannot inject header lines.
    const std::string key = file_name_safe(kiosk_id) + "-" + std::to_string(sequence);
    lock.unlock();
    const PostResult result = post_json(
        {settings.post_url, *body, key, std::chrono::seconds(std::max(1, settings.post_timeout_seconds)),
         !options.allow_remote_endpoint},
        abort_request);
    lock.lock();
    if (!result.delivered()) {
      if (!stop_requested) note_failure(sequence, result.error);
      return;
    }
    if (auto remove_error = outbox->remove(sequence); !remove_error.empty()) {
      // Delivered but still on disk: it will be sent again with the same key.
      note_failure(sequence, "outbox: " + remove_error);
      return;
    }
    ++delivered;
    consecutive_failures = 0;
    last_error.clear();
    last_delivery = std::chrono::system_clock::now();
    backoff = options.backoff_initial;
    options.log.info("handoff #" + std::to_string(sequence) + ": delivered (HTTP " +
        std::to_string(result.http_status) + ")");
  }

  void note_failure(std::uint64_t sequence, const std::string& error) {
    ++consecutive_failures;
    last_error = error;
    if (backoff.count() <= 0) backoff = options.backoff_initial;
    next_attempt = Clock::now() + backoff;
    options.log.warn("handoff #" + std::to_string(sequence) + ": POST failed (" + error + "), retry in " +
        std::to_string(backoff.count()) + " ms");
    backoff = std::min(backoff * 2, options.backoff_max);
  }

  void start() {
    std::lock_guard life(lifecycle);
    if (sender.joinable() || !settings.enabled || !post_configured()) return;
    {
      std::lock_guard lock(mutex);
      stop_requested = false;
      abort_request = false;
      backoff = options.backoff_initial;
      next_attempt = Clock::now();
      running = true;
    }
    sender = std::thread([this] { run_sender(); });
  }

  void stop() {
    std::lock_guard life(lifecycle);
    if (!sender.joinable()) return;
    {
      std::lock_guard lock(mutex);
      stop_requested = true;
      abort_request = true;
    }
    wake.notify_all();
    sender.join();
    sender = std::thread();
    std::lock_guard lock(mutex);
    running = false;
  }
};

Handoff::Created Handoff::create(const config::HandoffSettings& settings, std::string kiosk_id,
                                 HandoffOptions options) {
  if (options.backoff_initial.count() <= 0) options.backoff_initial = std::chrono::milliseconds(1);
  if (options.backoff_max < options.backoff_initial) options.backoff_max = options.backoff_initial;
  if (settings.enabled) {
    if (auto error = check_folder(settings.xml_dir, "handoff.xml_dir"); !error.empty()) {
      return {nullptr, error};
    }
    if (auto error = check_folder(settings.json_dir, "handoff.json_dir"); !error.empty()) {
      return {nullptr, error};
    }
    if (!settings.post_url.empty()) {
      if (auto error = check_endpoint_url(settings.post_url, options.allow_remote_endpoint);
          !error.empty()) {
        return {nullptr, error};
      }
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->settings = settings;
  impl->kiosk_id = std::move(kiosk_id);
  impl->options = std::move(options);
  if (!settings.enabled) {  // touches nothing on disk; send() answers `disabled`
    return {std::unique_ptr<Handoff>(new Handoff(std::move(impl))), {}};
  }
  Outbox::Opened opened = Outbox::open(settings.outbox_dir);
  if (!opened.outbox) return {nullptr, opened.error};
  impl->outbox = std::move(opened.outbox);
  for (const auto& dir : {settings.xml_dir, settings.json_dir}) {
    if (!dir.empty()) base::remove_stale_temp_files(dir, kSharedTempMaxAge);
  }
  if (!impl->outbox->pending().empty()) {
    impl->options.log.info("handoff: " + std::to_string(impl->outbox->pending().size()) +
              " hand-off(s) still queued from an earlier run, oldest #" +
              std::to_string(*impl->outbox->pending().begin()));
  }
  return {std::unique_ptr<Handoff>(new Handoff(std::move(impl))), {}};
}

Handoff::Handoff(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Handoff::~Handoff() { impl_->stop(); }

SendStatus Handoff::send(const crypto::VerifiedPresentation& presentation,
                         crypto::UnixSeconds checked_at) {
  try {
    return impl_->send(presentation, checked_at);
  } catch (const std::exception& e) {  // allocation failure and the like: a value, not a throw
    SendStatus status;
    status.kind = SendStatus::Kind::failed;
    status.detail = std::string("internal error: ") + e.what();
    return status;
  }
}

void Handoff::start() { impl_->start(); }
void Handoff::stop() { impl_->stop(); }

void Handoff::retry_now() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->wake_requested = true;
  }
  impl_->wake.notify_all();
}

QueueFigures Handoff::queue() const {
  std::lock_guard lock(impl_->mutex);
  QueueFigures figures;
  if (!impl_->outbox) return figures;  // disabled
  figures.pending = impl_->outbox->pending().size();
  if (!impl_->outbox->pending().empty()) figures.oldest_pending = *impl_->outbox->pending().begin();
  figures.delivered = impl_->delivered;
  figures.consecutive_failures = impl_->consecutive_failures;
  figures.last_error = impl_->last_error;
  figures.last_delivery = impl_->last_delivery;
  figures.sender_running = impl_->running;
  return figures;
}

const config::HandoffSettings& Handoff::settings() const { return impl_->settings; }

}  // namespace kakunin::handoff
