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

bool ids_strictly_ascending(ByteView ids) {
  for (std::size_t offset = kIdSize; offset < ids.size(); offset += kIdSize) {
    if (std::memcmp(ids.data() + offset - kIdSize, ids.data() + offset, kIdSize) >= 0) return false;
  }
  return true;
}

}  // namespace

struct RevocationListParser {
  static Loaded<RevocationList> parse(Bytes&& storage, const PinnedKeys& pins,
                                      std::optional<std::uint64_t> held_sequence) {
    auto opened = open_signed_list(storage, pins);
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
        !issued_at->as_int64() || !next_update || !next_update->as_int64() || !test ||
        !test->as_bool() || !ids || !ids->as_bytes()) {
      return invalid("sequence (uint), issued_at, next_update (int), test (bool), ids (bstr) are required");
    }
    if (*issued_at->as_int64() > *next_update->as_int64()) {
      return invalid("issued_at is after next_update");
    }
    if (auto rollback = check_sequence(sequence->value, held_sequence)) return *rollback;
    const ByteView id_block = ids->content;
    if (id_block.size() % kIdSize != 0) return invalid("ids is not a whole number of 16-byte ids");
    if (!ids_strictly_ascending(id_block)) return invalid("ids are not in strictly ascending order");

    RevocationList list;
    list.header_ = {sequence->value, *issued_at->as_int64(), *next_update->as_int64(),
                    *test->as_bool()};
    list.ids_offset_ = static_cast<std::size_t>(id_block.data() - storage.data());
    list.id_count_ = id_block.size() / kIdSize;
    list.storage_ = std::move(storage);  // views above stay valid: the heap block moves
    return Loaded<RevocationList>(std::move(list));
  }
};

Loaded<RevocationList> RevocationList::load(ByteView cose_bytes, const PinnedKeys& pins,
                                            std::optional<std::uint64_t> held_sequence) {
  return RevocationListParser::parse(Bytes(cose_bytes.begin(), cose_bytes.end()), pins,
                                     held_sequence);
}

Loaded<RevocationList> RevocationList::load(Bytes&& cose_bytes, const PinnedKeys& pins,
                                            std::optional<std::uint64_t> held_sequence) {
  return RevocationListParser::parse(std::move(cose_bytes), pins, held_sequence);
}

bool RevocationList::contains(const Cti& cti) const {
  // Binary search over fixed-size records, in place: no index is built.
  const std::uint8_t* base = storage_.data() + ids_offset_;
  std::size_t low = 0, high = id_count_;
  while (low < high) {
    const std::size_t mid = low + (high - low) / 2;
    const int order = std::memcmp(base + mid * kIdSize, cti.data(), kIdSize);
    if (order == 0) return true;
    if (order < 0) low = mid + 1;
    else high = mid;
  }
  return false;
}

}  // namespace kakunin::crypto
