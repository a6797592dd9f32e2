// §7 revocation list: signed CBOR with the revoked ids as one sorted byte block.
#include "cbor_reader.h"
#include "signed_list.h"

#include <algorithm>
#include <cstring>

namespace kakunin::crypto {
namespace {

constexpr std::size_t kIdSize = 16;

ListError invalid(std::string message) {
  return ListError{ListError::Kind::invalid_content, std::move(message)};
}

// A time as §3 has them: a non-negative integer (strict reading for §7's "int").
bool is_time(const cbor::Item& item) {
  return item.type == cbor::Type::unsigned_int && item.as_int64().has_value();
}

bool ids_strictly_ascending(ByteView ids) {
  for (std::size_t offset = kIdSize; offset < ids.size(); offset += kIdSize) {
    if (std::memcmp(ids.data() + offset - kIdSize, ids.data() + offset, kIdSize) >= 0) return false;
  }
  return true;
}

}  // namespace

struct RevocationListParser {
  // Checks `bytes` in place; only a list that passed every check is kept, in
  // `owned` when the caller gave up its buffer, else in a copy made at the end (so
  // an unsigned file of max_bytes is never copied).
  static Loaded<RevocationList> parse(ByteView bytes, Bytes* owned, const PinnedKeys& pins,
                                      const HighWaterMark& seen) {
    auto opened = open_signed_list(bytes, pins);
    if (auto* error = std::get_if<ListError>(&opened)) return *error;
    cbor::DecodeError decode_error;
    const auto payload = cbor::decode(std::get<Sign1>(opened).payload, &decode_error);
    if (!payload) return ListError{ListError::Kind::unreadable, "payload: " + decode_error.message};
    if (payload->type != cbor::Type::map) return invalid("payload is not a map");

    const cbor::Item* format = payload->find("format");
    const cbor::Item* sequence = payload->find("sequence");
    const cbor::Item* issued_at = payload->find("issued_at");
    const cbor::Item* next_update = payload->find("next_update");
    const cbor::Item* test = payload->find("test");
    const cbor::Item* ids = payload->find("ids");
    if (!format || format->as_text() != "jhc1-revocations") {
      return invalid("format is not jhc1-revocations");
    }
    if (!sequence || sequence->type != cbor::Type::unsigned_int || !issued_at ||
        !is_time(*issued_at) || !next_update || !is_time(*next_update) || !test ||
        !test->as_bool() || !ids || !ids->as_bytes()) {
      return invalid(
          "sequence (uint), issued_at, next_update (non-negative int), test (bool), "
          "ids (bstr) are required");
    }
    if (*issued_at->as_int64() > *next_update->as_int64()) {
      return invalid("issued_at is after next_update");
    }
    if (auto rollback = check_sequence(sequence->value, seen)) return *rollback;
    const ByteView id_block = ids->content;
    if (id_block.size() % kIdSize != 0) return invalid("ids is not a whole number of 16-byte ids");
    if (!ids_strictly_ascending(id_block))
      return invalid("ids are not in strictly ascending order");

    RevocationList list;
    list.header_ = {sequence->value, *issued_at->as_int64(), *next_update->as_int64(),
                    *test->as_bool()};
    list.ids_offset_ = static_cast<std::size_t>(id_block.data() - bytes.data());
    list.id_count_ = id_block.size() / kIdSize;
    // Offsets, not pointers, survive both the move and the copy.
    list.storage_ = owned ? std::move(*owned) : Bytes(bytes.begin(), bytes.end());
    return Loaded<RevocationList>(std::move(list));
  }
};

Loaded<RevocationList> RevocationList::load(ByteView cose_bytes, const PinnedKeys& pins,
                                            HighWaterMark seen) {
  return load_without_throwing<RevocationList>(
      [&] { return RevocationListParser::parse(cose_bytes, nullptr, pins, seen); });
}

Loaded<RevocationList> RevocationList::load(Bytes&& cose_bytes, const PinnedKeys& pins,
                                            HighWaterMark seen) {
  return load_without_throwing<RevocationList>(
      [&] { return RevocationListParser::parse(cose_bytes, &cose_bytes, pins, seen); });
}

bool RevocationList::contains(const Cti& cti) const {
  // Binary search over fixed-size records, in place: no index is built.
  const std::uint8_t* base = storage_.data() + ids_offset_;
  std::size_t low = 0, high = id_count_;
  while (low < high) {
    const std::size_t mid = low + (high - low) / 2;
    const int order = std::memcmp(base + mid * kIdSize, cti.data(), kIdSize);
    if (order == 0) return true;
    if (order < 0) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return false;
}

}  // namespace kakunin::crypto
