#include "delivery.h"

#include <kakunin/base/atomic_file.h>

#include <cerrno>

#include <nlohmann/json.hpp>

namespace kakunin::handoff {
namespace {

// XML and JSON files are personal data handed to the レセコン: owner and group only.
constexpr mode_t kHandedFileMode = 0640;
// A write into a shared `res` folder never takes this long, so older temp files there
// are leftovers of a crash, not another kiosk's write in flight.
constexpr std::chrono::seconds kSharedTempMaxAge{600};
// The receiver's answer is not used; a longer one is not an answer to a hand-off.
constexpr std::int64_t kMaxAnswerBytes = std::int64_t{1024} * 1024;

// Entries are written whole (fsync, rename), so a failed check means the disk or a
// person changed one: such an entry would be refused by the receiver forever.
bool is_whole(Channel channel, const std::string& bytes) {
  if (channel == Channel::xml) return bytes.rfind("<?xml", 0) == 0;
  return nlohmann::json::accept(bytes);
}

DeliveryResult result(DeliveryResult::Kind kind, std::string detail) {
  DeliveryResult r;
  r.kind = kind;
  r.detail = std::move(detail);
  return r;
}

DeliveryResult write_into_folder(const ChannelTarget& target, const OutboxEntry& entry,
                                 const std::string& bytes) {
  base::WriteOptions options;
  options.mode = kHandedFileMode;
  // Synced apart: once the file is in place the レセコン may take it, so a failed
  // folder fsync must not count as "not delivered" and write it a second time.
  options.sync_folder = false;
  const base::Status written =
      base::write_file_atomically(target.dir / entry.target, bytes, options);
  if (!written.ok()) return result(DeliveryResult::Kind::retry, written.error().message);
  DeliveryResult delivered = result(DeliveryResult::Kind::delivered, {});
  if (const base::Status synced = base::sync_folder(target.dir); !synced.ok()) {
    delivered.warning = synced.error().message;
  }
  return delivered;
}

// post_timeout bounds the connection and the whole request; there is no low-speed
// limit, since a receiver may take its time before it answers.
net::TransferSettings post_transfer(const ChannelTarget& target) {
  net::TransferSettings s;
  s.connect_timeout = target.post_timeout;
  s.total_timeout = target.post_timeout;
  s.low_speed_time = std::chrono::seconds(0);
  s.max_bytes = kMaxAnswerBytes;
  s.user_agent = "kakunin-handoff";
  return s;
}

DeliveryResult post(const ChannelTarget& target, const OutboxEntry& entry, const std::string& body,
                    const std::atomic<bool>& abort) {
  const net::Client client(post_transfer(target), target.post_use);
  const net::PostResult posted = client.post_json({target.post_url, body, entry.target}, abort);
  DeliveryResult r =
      result(posted.delivered() ? DeliveryResult::Kind::delivered : DeliveryResult::Kind::retry,
             posted.error);
  r.http_status = posted.http_status;
  return r;
}

}  // namespace

base::Status prepare_channel(const ChannelTarget& target) {
  if (target.channel == Channel::post) return {};
  std::error_code ec;
  if (!std::filesystem::is_directory(target.dir, ec)) {
    return base::Error{target.setting + " " + target.dir.string() + " is not an existing folder" +
                           (ec ? " (" + ec.message() + ")" : ""),
                       ec.value()};
  }
  base::remove_stale_temp_files(target.dir, kSharedTempMaxAge);
  return {};
}

DeliveryResult deliver_entry(const ChannelTarget& target, const OutboxFolder& outbox,
                             std::uint64_t sequence, const OutboxEntry& entry,
                             const std::atomic<bool>& abort) {
  base::Result<std::string> bytes = outbox.read(sequence, entry);
  if (!bytes.ok()) {
    if (bytes.error().os_error == ENOENT) {
      return result(DeliveryResult::Kind::gone,
                    "the outbox entry was removed before it was delivered");
    }
    return result(DeliveryResult::Kind::damaged, "unreadable: " + bytes.error().message);
  }
  if (!is_whole(entry.channel, bytes.value())) {
    return result(DeliveryResult::Kind::damaged, "not a whole record");
  }
  if (entry.channel == Channel::post) return post(target, entry, bytes.value(), abort);
  return write_into_folder(target, entry, bytes.value());
}

}  // namespace kakunin::handoff
