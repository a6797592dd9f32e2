// Differential fuzzing of the strict CBOR reader (crypto/src/cbor_reader.h) against
// a second decoder: libcbor's streaming decoder (Debian's libcbor 0.8), whose events
// this target assembles into its own tree with its own rules. For every input:
// - whatever ours accepts, libcbor decodes as one well-formed item spanning the input,
//   with none of what spec §2 forbids, and to the same value, item for item;
// - whatever ours refuses, the oracle finds a reason spec §2 (or the item budget)
//   gives: not well-formed, trailing bytes, indefinite length, nesting deeper than
//   16, tags nested deeper than 16, duplicate keys equal by value, text that is not
//   UTF-8, more items than a decode holds.
// The streaming decoder allocates nothing, so an input announcing 2^64 items costs
// the oracle no more than ours (run with -malloc_limit_mb, see .ci/run).
//
// Where libcbor cannot say (simple values it does not decode, NaN keys whose
// payloads it does not keep), the input is skipped for that check, not guessed.
#include "cbor_reader.h"

#include <cbor.h>
#include <iconv.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {

using kakunin::crypto::ByteView;
namespace cbor = kakunin::crypto::cbor;

struct Node {
  enum Kind {
    positive,
    negative,
    bytes,
    text,
    array,
    map,
    tag,
    boolean,
    null,
    undefined,
    floating
  };
  Kind kind = null;
  std::uint64_t value = 0;  // positive / negative (n of -1-n) / tag number / boolean
  double number = 0;        // floating
  std::string data;         // bytes, text
  std::vector<Node> children;
};

struct Frame {
  Node node;
  std::uint64_t remaining = 0;  // items still to come; for a tag, 1
  bool tag = false;
};

// Assembles libcbor's events into one tree, noting what spec §2 forbids.
struct Oracle {
  std::vector<Frame> open;
  std::vector<Node> roots;
  std::size_t items = 0;
  bool indefinite = false;
  bool too_deep = false;
  bool tags_too_deep = false;
  bool unsupported = false;  // libcbor cannot decode this (valid) item: no verdict

  int container_depth() const {
    int depth = 0;
    for (const Frame& f : open) depth += f.tag ? 0 : 1;
    return depth;
  }
  int tag_run() const {
    int run = 0;
    for (auto it = open.rbegin(); it != open.rend() && it->tag; ++it) ++run;
    return run;
  }
  void complete(Node node) {
    while (true) {
      if (open.empty()) {
        roots.push_back(std::move(node));
        return;
      }
      Frame& top = open.back();
      top.node.children.push_back(std::move(node));
      if (--top.remaining > 0) return;
      node = std::move(top.node);
      open.pop_back();
    }
  }
  void item(Node node) {
    ++items;
    complete(std::move(node));
  }
  void start(Node node, std::uint64_t count, bool is_tag) {
    ++items;
    if (is_tag) {
      if (tag_run() + 1 > 16) tags_too_deep = true;
    } else if (container_depth() + 1 > 16) {
      too_deep = true;
    }
    if (count == 0) {
      complete(std::move(node));
      return;
    }
    open.push_back({std::move(node), count, is_tag});
  }
};

Oracle& of(void* context) { return *static_cast<Oracle*>(context); }

Node number(Node::Kind kind, std::uint64_t value) {
  Node n;
  n.kind = kind;
  n.value = value;
  return n;
}

cbor_callbacks oracle_callbacks() {
  cbor_callbacks cb = cbor_empty_callbacks;
  cb.uint8 = [](void* c, std::uint8_t v) { of(c).item(number(Node::positive, v)); };
  cb.uint16 = [](void* c, std::uint16_t v) { of(c).item(number(Node::positive, v)); };
  cb.uint32 = [](void* c, std::uint32_t v) { of(c).item(number(Node::positive, v)); };
  cb.uint64 = [](void* c, std::uint64_t v) { of(c).item(number(Node::positive, v)); };
  cb.negint8 = [](void* c, std::uint8_t v) { of(c).item(number(Node::negative, v)); };
  cb.negint16 = [](void* c, std::uint16_t v) { of(c).item(number(Node::negative, v)); };
  cb.negint32 = [](void* c, std::uint32_t v) { of(c).item(number(Node::negative, v)); };
  cb.negint64 = [](void* c, std::uint64_t v) { of(c).item(number(Node::negative, v)); };
  cb.byte_string = [](void* c, cbor_data d, std::size_t n) {
    Node node;
    node.kind = Node::bytes;
    node.data.assign(reinterpret_cast<const char*>(d), n);
    of(c).item(std::move(node));
  };
  cb.string = [](void* c, cbor_data d, std::size_t n) {
    Node node;
    node.kind = Node::text;
    node.data.assign(reinterpret_cast<const char*>(d), n);
    of(c).item(std::move(node));
  };
  cb.byte_string_start = [](void* c) { of(c).indefinite = true; };
  cb.string_start = [](void* c) { of(c).indefinite = true; };
  cb.indef_array_start = [](void* c) { of(c).indefinite = true; };
  cb.indef_map_start = [](void* c) { of(c).indefinite = true; };
  cb.indef_break = [](void* c) { of(c).indefinite = true; };
  cb.array_start = [](void* c, std::size_t n) { of(c).start(number(Node::array, n), n, false); };
  cb.map_start = [](void* c, std::size_t n) { of(c).start(number(Node::map, n), 2 * n, false); };
  cb.tag = [](void* c, std::uint64_t v) { of(c).start(number(Node::tag, v), 1, true); };
  cb.float2 = [](void* c, float f) {
    Node n;
    n.kind = Node::floating;
    n.number = f;
    of(c).item(std::move(n));
  };
  cb.float4 = cb.float2;
  cb.float8 = [](void* c, double d) {
    Node n;
    n.kind = Node::floating;
    n.number = d;
    of(c).item(std::move(n));
  };
  cb.null = [](void* c) { of(c).item(number(Node::null, 0)); };
  cb.undefined = [](void* c) { of(c).item(number(Node::undefined, 0)); };
  cb.boolean = [](void* c, bool b) { of(c).item(number(Node::boolean, b ? 1 : 0)); };
  return cb;
}

struct OracleRun {
  Oracle oracle;
  bool well_formed = false;  // exactly one whole item, nothing after it
};

OracleRun run_oracle(ByteView data) {
  OracleRun run;
  const cbor_callbacks callbacks = oracle_callbacks();
  std::size_t pos = 0;
  while (pos < data.size() && run.oracle.roots.empty()) {
    if (run.oracle.indefinite) return run;  // libcbor's own business from here on
    // libcbor 0.8's streaming decoder refuses one-byte tag heads 6..20 (0xc6..0xd4),
    // COSE_Sign1's tag 18 among them, as "unassigned"; those heads are the tag
    // number itself (RFC 8949 §3.4), so the oracle takes them here.
    if (data[pos] >= 0xc6 && data[pos] <= 0xd4) {
      callbacks.tag(&run.oracle, data[pos] & 0x1f);
      ++pos;
      continue;
    }
    const cbor_decoder_result r =
        cbor_stream_decode(data.data() + pos, data.size() - pos, &callbacks, &run.oracle);
    if (r.status != CBOR_DECODER_FINISHED) {
      const std::uint8_t head = data[pos];
      const int additional = head & 0x1f;
      // Unassigned simple values (0xe0..0xf3, 0xf8 xx) are well-formed CBOR that
      // libcbor 0.8 does not decode: no verdict from it on such an input.
      if ((head >> 5) == 7 && (additional < 20 || additional == 24) &&
          r.status == CBOR_DECODER_ERROR) {
        run.oracle.unsupported = true;
      }
      return run;
    }
    pos += r.read;
  }
  run.well_formed = run.oracle.roots.size() == 1 && run.oracle.open.empty() && pos == data.size();
  return run;
}

// ------------------------------------------------------------ the checks ----

bool is_utf8(const std::string& text) {
  iconv_t cd = iconv_open("UTF-32LE", "UTF-8");
  std::string in = text;
  std::vector<char> out(4 * text.size() + 4);
  char* in_ptr = in.data();
  char* out_ptr = out.data();
  std::size_t in_left = in.size(), out_left = out.size();
  const std::size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1) || in_left != 0) return false;
  // glibc takes UTF-8 up to U+7FFFFFFF; RFC 3629 stops at U+10FFFF.
  for (char* p = out.data(); p < out_ptr; p += 4) {
    std::uint32_t code;
    std::memcpy(&code, p, 4);
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
  }
  return true;
}

bool all_text_utf8(const Node& n) {
  if (n.kind == Node::text && !is_utf8(n.data)) return false;
  for (const Node& child : n.children) {
    if (!all_text_utf8(child)) return false;
  }
  return true;
}

// A key as an integer when it is one (bignums included): sign and magnitude.
bool as_integer(const Node& n, bool* negative, std::string* magnitude) {
  if (n.kind == Node::positive || n.kind == Node::negative) {
    *negative = n.kind == Node::negative;
    magnitude->clear();
    for (int shift = 56; shift >= 0; shift -= 8) {
      const char byte = static_cast<char>((n.value >> shift) & 0xff);
      if (!magnitude->empty() || byte != 0) magnitude->push_back(byte);
    }
    return true;
  }
  if (n.kind == Node::tag && (n.value == 2 || n.value == 3) && n.children.size() == 1 &&
      n.children[0].kind == Node::bytes) {
    *negative = n.value == 3;
    const std::string& raw = n.children[0].data;
    *magnitude = raw.substr(std::min(raw.find_first_not_of('\0'), raw.size()));
    return true;
  }
  return false;
}

struct Equality {
  bool nan_met = false;  // libcbor keeps no NaN payload: two NaN keys are not decidable

  bool equal(const Node& a, const Node& b) {
    bool neg_a, neg_b;
    std::string mag_a, mag_b;
    const bool int_a = as_integer(a, &neg_a, &mag_a);
    const bool int_b = as_integer(b, &neg_b, &mag_b);
    if (int_a || int_b) return int_a && int_b && neg_a == neg_b && mag_a == mag_b;
    if (a.kind != b.kind) return false;
    switch (a.kind) {
      case Node::floating:
        if (std::isnan(a.number) && std::isnan(b.number)) {
          nan_met = true;
          return false;
        }
        return a.number == b.number && std::signbit(a.number) == std::signbit(b.number);
      case Node::bytes:
      case Node::text:
        return a.data == b.data;
      case Node::boolean:
      case Node::tag:
        if (a.value != b.value) return false;
        break;
      case Node::null:
      case Node::undefined:
        return true;
      default:
        break;
    }
    if (a.children.size() != b.children.size()) return false;
    if (a.kind == Node::map) return same_pairs(a, b);
    for (std::size_t i = 0; i < a.children.size(); ++i) {
      if (!equal(a.children[i], b.children[i])) return false;
    }
    return true;
  }
  bool same_pairs(const Node& a, const Node& b) {
    for (std::size_t i = 0; i < a.children.size(); i += 2) {
      bool found = false;
      for (std::size_t j = 0; j < b.children.size() && !found; j += 2) {
        found = equal(a.children[i], b.children[j]) && equal(a.children[i + 1], b.children[j + 1]);
      }
      if (!found) return false;
    }
    return true;
  }
};

bool has_duplicate_keys(const Node& n, Equality& eq) {
  if (n.kind == Node::map) {
    for (std::size_t i = 0; i < n.children.size(); i += 2) {
      for (std::size_t j = i + 2; j < n.children.size(); j += 2) {
        if (eq.equal(n.children[i], n.children[j])) return true;
      }
    }
  }
  for (const Node& child : n.children) {
    if (has_duplicate_keys(child, eq)) return true;
  }
  return false;
}

// Our item against the oracle's node: same kind, value and children.
bool same_tree(const cbor::Item& ours, const Node& theirs) {
  using cbor::Type;
  const auto content = [&] {
    return std::string(reinterpret_cast<const char*>(ours.content.data()), ours.content.size());
  };
  switch (ours.type) {
    case Type::unsigned_int:
      return theirs.kind == Node::positive && theirs.value == ours.value;
    case Type::negative_int:
      return theirs.kind == Node::negative && theirs.value == ours.value;
    case Type::bytes:
      return theirs.kind == Node::bytes && theirs.data == content();
    case Type::text:
      return theirs.kind == Node::text && theirs.data == content();
    case Type::floating:
      if (theirs.kind != Node::floating) return false;
      if (std::isnan(ours.float_value)) return std::isnan(theirs.number);
      return ours.float_value == theirs.number &&
             std::signbit(ours.float_value) == std::signbit(theirs.number);
    case Type::simple:
      if (ours.value == 20 || ours.value == 21) {
        return theirs.kind == Node::boolean && theirs.value == (ours.value == 21 ? 1u : 0u);
      }
      if (ours.value == 22) return theirs.kind == Node::null;
      if (ours.value == 23) return theirs.kind == Node::undefined;
      return false;
    case Type::array:
    case Type::map:
    case Type::tag: {
      const Node::Kind kind = ours.type == Type::array ? Node::array
                              : ours.type == Type::map ? Node::map
                                                       : Node::tag;
      if (theirs.kind != kind || theirs.children.size() != ours.children.size()) return false;
      if (ours.type == Type::tag && theirs.value != ours.value) return false;
      for (std::size_t i = 0; i < ours.children.size(); ++i) {
        if (!same_tree(ours.children[i], theirs.children[i])) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  const auto ours = cbor::decode(input);
  OracleRun run = run_oracle(input);
  Oracle& o = run.oracle;
  if (o.unsupported) return 0;
  Equality eq;
  const bool forbidden = !run.well_formed || o.indefinite || o.too_deep || o.tags_too_deep ||
                         o.items > cbor::kMaxItems || !all_text_utf8(o.roots.front()) ||
                         has_duplicate_keys(o.roots.front(), eq);
  if (eq.nan_met) return 0;
  if (ours) {
    // Accepted: libcbor agrees it is one clean item, and it is the same item.
    if (forbidden) __builtin_trap();
    if (!same_tree(*ours, o.roots.front())) __builtin_trap();
  } else if (!forbidden) {
    __builtin_trap();  // refused without a reason the spec gives
  }
  return 0;
}
