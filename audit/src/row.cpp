#include "row.h"

#include <string_view>

namespace kakunin::audit::detail {
namespace {

constexpr std::string_view kVerdictDomain = "kakunin-audit-row-v1";
constexpr std::string_view kPurgeDomain = "kakunin-audit-purge-v1";

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

}  // namespace

std::vector<std::uint8_t> canonical_encoding(const Row& row) {
  if (row.purge) return purge_encoding(row, *row.purge);
  Encoder out;
  out.text(kVerdictDomain);
  out.integer(row.id);
  out.integer(row.time);
  out.text(row.verdict);
  out.optional(row.profile, &Encoder::text);
  out.optional(row.insurer_number, &Encoder::text);
  out.optional(row.qr_age_seconds, &Encoder::integer);
  out.optional(row.test_material, &Encoder::integer);
  out.text(row.kiosk_id);
  out.optional(row.cti_pseudonym, &Encoder::blob);
  return out.take();
}

std::optional<Digest> chain_hash(const std::vector<std::uint8_t>& previous, const Row& row) {
  std::vector<std::uint8_t> input = previous;
  const auto encoded = canonical_encoding(row);
  input.insert(input.end(), encoded.begin(), encoded.end());
  return sha256(input.data(), input.size());
}

std::vector<std::uint8_t> genesis_hash() { return std::vector<std::uint8_t>(32, 0); }

}  // namespace kakunin::audit::detail
