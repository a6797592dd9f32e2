#include "row.h"

#include <algorithm>
#include <string_view>

namespace kakunin::audit::detail {
namespace {

constexpr std::string_view kVerdictDomain = "kakunin-audit-row-v1";
constexpr std::string_view kPurgeDomain = "kakunin-audit-purge-v1";
constexpr std::string_view kQueuedDomain = "kakunin-audit-queued-row-v1";
constexpr std::size_t kDigestBytes = 32;

class Encoder {
 public:
  void integer(std::int64_t value) {
    const auto bits = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes_.push_back(static_cast<std::uint8_t>(bits >> shift));
    }
  }
  void text(std::string_view value) {
    length(value.size());
    bytes_.insert(bytes_.end(), value.begin(), value.end());
  }
  void blob(const std::vector<std::uint8_t>& value) {
    length(value.size());
    bytes_.insert(bytes_.end(), value.begin(), value.end());
  }
  template <typename T, typename Write>
  void optional(const std::optional<T>& value, Write write) {
    bytes_.push_back(value ? 1 : 0);
    if (value) (this->*write)(*value);
  }
  std::vector<std::uint8_t> take() { return std::move(bytes_); }

 private:
  void length(std::size_t size) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      bytes_.push_back(static_cast<std::uint8_t>(size >> shift));
    }
  }
  std::vector<std::uint8_t> bytes_;
};

// Reads what Encoder wrote; any read past the end or malformed flag makes ok() false.
class Decoder {
 public:
  explicit Decoder(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool at_end() const { return position_ == bytes_.size(); }

  std::int64_t integer() {
    std::uint64_t bits = 0;
    for (const std::uint8_t byte : take(8)) bits = (bits << 8) | byte;
    return static_cast<std::int64_t>(bits);
  }
  std::string text() {
    const auto bytes = take(length());
    return std::string(bytes.begin(), bytes.end());
  }
  std::vector<std::uint8_t> blob() {
    const auto bytes = take(length());
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
  }
  template <typename T>
  std::optional<T> optional(T (Decoder::*read)()) {
    const auto flag = take(1);
    if (!ok_ || flag[0] > 1) {  // ok_ first: flag is empty when the read failed
      ok_ = false;
      return std::nullopt;
    }
    if (flag[0] == 0) return std::nullopt;
    return (this->*read)();
  }

 private:
  std::size_t length() {
    std::size_t size = 0;
    for (const std::uint8_t byte : take(4)) size = (size << 8) | byte;
    return size;
  }
  // Empty once anything failed; callers read nothing from it then.
  std::span<const std::uint8_t> take(std::size_t count) {
    if (!ok_ || count > bytes_.size() - position_) {
      ok_ = false;
      return {};
    }
    const auto part = bytes_.subspan(position_, count);
    position_ += count;
    return part;
  }
  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
  bool ok_ = true;
};

}  // namespace

namespace {

std::vector<std::uint8_t> purge_encoding(const Row& row, const PurgeFacts& purge) {
  Encoder out;
  out.text(kPurgeDomain);
  out.integer(row.id);
  out.integer(row.time);
  out.text(row.verdict);
  out.integer(purge.purged_from);
  out.integer(purge.purged_through);
  out.optional(purge.cutoff, &Encoder::integer);
  out.blob(purge.purged_hash);
  return out.take();
}

// The row's own fields, in the one order both the chain and the queue use.
void encode_row_fields(Encoder& out, const Row& row) {
  out.integer(row.time);
  out.text(row.verdict);
  out.optional(row.profile, &Encoder::text);
  out.optional(row.insurer_number, &Encoder::text);
  out.optional(row.qr_age_seconds, &Encoder::integer);
  out.optional(row.test_material, &Encoder::integer);
  out.text(row.kiosk_id);
  out.optional(row.cti_pseudonym, &Encoder::blob);
}

}  // namespace

std::vector<std::uint8_t> canonical_encoding(const Row& row) {
  if (row.purge) return purge_encoding(row, *row.purge);
  Encoder out;
  out.text(kVerdictDomain);
  out.integer(row.id);
  encode_row_fields(out, row);
  return out.take();
}

std::optional<Digest> chain_hash(const std::vector<std::uint8_t>& previous, const Row& row) {
  std::vector<std::uint8_t> input = previous;
  const auto encoded = canonical_encoding(row);
  input.insert(input.end(), encoded.begin(), encoded.end());
  return sha256(input.data(), input.size());
}

std::vector<std::uint8_t> genesis_hash() { return std::vector<std::uint8_t>(32, 0); }

std::vector<std::uint8_t> encode_queued(const QueuedRow& queued) {
  const Row& row = queued.row;
  Encoder out;
  out.text(kQueuedDomain);
  out.blob(queued.key);
  encode_row_fields(out, row);
  std::vector<std::uint8_t> bytes = out.take();
  const auto digest = sha256(bytes.data(), bytes.size());
  if (!digest) return {};  // an empty file never decodes
  bytes.insert(bytes.end(), digest->begin(), digest->end());
  return bytes;
}

std::optional<QueuedRow> decode_queued(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kDigestBytes) return std::nullopt;
  const auto body = bytes.first(bytes.size() - kDigestBytes);
  const auto digest = sha256(body.data(), body.size());
  if (!digest || !std::equal(digest->begin(), digest->end(), bytes.end() - kDigestBytes)) {
    return std::nullopt;
  }
  Decoder in(body);
  QueuedRow queued;
  Row& row = queued.row;
  const bool ours = in.text() == kQueuedDomain;
  queued.key = in.blob();
  row.time = in.integer();
  row.verdict = in.text();
  row.profile = in.optional(&Decoder::text);
  row.insurer_number = in.optional(&Decoder::text);
  row.qr_age_seconds = in.optional(&Decoder::integer);
  row.test_material = in.optional(&Decoder::integer);
  row.kiosk_id = in.text();
  row.cti_pseudonym = in.optional(&Decoder::blob);
  if (!ours || !in.ok() || !in.at_end() || queued.key.size() != kQueueKeyBytes) return std::nullopt;
  return queued;
}

}  // namespace kakunin::audit::detail
