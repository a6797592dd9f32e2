#include "outbox.h"

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/read_file.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace kakunin::handoff {
namespace {

constexpr std::string_view kItemSuffix = ".json";
constexpr std::string_view kCounterName = "sequence";
constexpr std::string_view kLockName = "lock";
constexpr base::WriteOptions kItemOptions{.mode = 0600};
// A record is a few kilobytes; the bound keeps a damaged or foreign file from
// filling memory.
constexpr std::size_t kMaxItemBytes = std::size_t{16} << 20;
constexpr mode_t kFolderMode = 0700;
constexpr int kSequenceDigits = 20;

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> sequence_of_item(std::string_view name) {
  if (name.size() != kSequenceDigits + kItemSuffix.size()) return std::nullopt;
  if (name.substr(kSequenceDigits) != kItemSuffix) return std::nullopt;
  return parse_decimal(name.substr(0, kSequenceDigits));
}

std::string error_text(const base::Status& status) { return status.ok() ? std::string() : status.error().message; }

std::string read_item(const std::filesystem::path& path, std::string& error) {
  auto text = base::read_file(path, kMaxItemBytes);
  if (!text.ok()) {
    error = text.error().message;
    return {};
  }
  return std::move(text).value();
}

std::string make_private_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create outbox " + dir.string() + ": " + ec.message();
  if (::chmod(dir.c_str(), kFolderMode) != 0) {
    return "cannot make outbox " + dir.string() + " private: " + std::strerror(errno);
  }
  return {};
}

}  // namespace

std::string Outbox::item_name(std::uint64_t sequence) {
  std::string digits = std::to_string(sequence);
  return std::string(kSequenceDigits - digits.size(), '0') + digits + std::string(kItemSuffix);
}

Outbox::Opened Outbox::open(const std::filesystem::path& dir) {
  if (dir.empty()) return {nullptr, "handoff.outbox_dir is empty"};
  if (auto error = make_private_folder(dir); !error.empty()) return {nullptr, error};
  const std::filesystem::path lock_path = dir / kLockName;
  base::UniqueFd lock_fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kItemOptions.mode));
  if (!lock_fd) return {nullptr, "cannot open " + lock_path.string() + ": " + std::strerror(errno)};
  if (::flock(lock_fd.get(), LOCK_EX | LOCK_NB) != 0) {
    return {nullptr, "outbox " + dir.string() + " is in use by another hand-off sender"};
  }
  std::unique_ptr<Outbox> outbox(new Outbox(dir, std::move(lock_fd)));
  if (auto error = outbox->load(); !error.empty()) return {nullptr, error};
  return {std::move(outbox), {}};
}

std::string Outbox::load() {
  base::remove_stale_temp_files(dir_);  // we hold the lock: no write of ours is in flight
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (auto sequence = sequence_of_item(entry.path().filename().string())) {
      pending_.insert(*sequence);
    }
  }
  if (ec) return "cannot list outbox " + dir_.string() + ": " + ec.message();

  const std::filesystem::path counter = dir_ / kCounterName;
  if (std::filesystem::exists(counter, ec)) {
    std::string error;
    std::string text = read_item(counter, error);
    if (!error.empty()) return error;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    const auto value = parse_decimal(text);
    if (!value) return "outbox sequence file " + counter.string() + " is damaged";
    last_sequence_ = *value;
  }
  if (!pending_.empty()) last_sequence_ = std::max(last_sequence_, *pending_.rbegin());
  return {};
}

std::optional<std::uint64_t> Outbox::reserve_sequence(std::string& error) {
  const std::uint64_t next = last_sequence_ + 1;
  error = error_text(base::write_file_atomically(dir_ / kCounterName, std::to_string(next) + "\n", kItemOptions));
  if (!error.empty()) return std::nullopt;
  last_sequence_ = next;
  return next;
}

std::string Outbox::enqueue(std::uint64_t sequence, std::string_view body) {
  if (auto error = error_text(base::write_file_atomically(dir_ / item_name(sequence), body, kItemOptions));
      !error.empty()) {
    return error;
  }
  pending_.insert(sequence);
  return {};
}

std::optional<std::string> Outbox::read(std::uint64_t sequence, std::string& error) const {
  std::string body = read_item(dir_ / item_name(sequence), error);
  if (!error.empty()) return std::nullopt;
  return body;
}

std::string Outbox::remove(std::uint64_t sequence) {
  const std::filesystem::path path = dir_ / item_name(sequence);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return "cannot remove delivered item #" + std::to_string(sequence) + ": " + std::strerror(errno);
  }
  pending_.erase(sequence);
  return error_text(base::sync_folder(dir_));
}

}  // namespace kakunin::handoff
