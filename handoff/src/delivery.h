// One channel's delivery of one outbox entry: the file into its folder (written
// atomically, under the name the entry carries), or the POST with its key. Runs on
// the channel's own thread; a call on a hung share blocks only that thread.
#pragma once

#include <kakunin/base/result.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/net/net.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "outbox.h"

namespace kakunin::handoff {

// Where one channel hands over.
struct ChannelTarget {
  Channel channel;
  std::filesystem::path dir;  // xml, json
  std::string setting;        // "handoff.xml_dir", for messages
  std::string post_url;       // post
  std::chrono::seconds post_timeout{5};
  // local_endpoint unless HandoffOptions::allow_remote_endpoint.
  net::UrlUse post_use = net::UrlUse::local_endpoint;
};

struct DeliveryResult {
  enum class Kind {
    delivered,  // in the folder / answered 2xx: remove the entry
    retry,      // not this time (share down, HTTP 500, timeout): keep it, back off
    gone,       // the entry vanished from the outbox (someone deleted it)
    damaged,    // the entry cannot be read or is not a whole record: quarantine it
  };
  Kind kind = Kind::retry;
  std::string detail;    // English, no personal data
  long http_status = 0;  // post
  std::string warning;   // delivered, but e.g. the folder fsync failed
};

// The first touch of a channel's folder: it must exist; temp files a crash left
// there longer than 10 minutes ago are removed (other kiosks may be writing theirs).
base::Status prepare_channel(const ChannelTarget& target);

// Reads the entry from the outbox and hands it over; `abort` ends an in-flight POST.
DeliveryResult deliver_entry(const ChannelTarget& target, const OutboxFolder& outbox,
                             std::uint64_t sequence, const OutboxEntry& entry,
                             const std::atomic<bool>& abort);

}  // namespace kakunin::handoff
