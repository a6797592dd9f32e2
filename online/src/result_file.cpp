// libxml2 reads the answer: a real XML parser is what a file from another program
// (and possibly an attacker who can write into `res`) deserves. It is used in its
// strictest form: the document is converted to UTF-8 by us (glibc's CP932, the
// Shift_JIS Windows writes, rather than libxml2's plain Shift_JIS), any DOCTYPE is
// refused before parsing (so no entity can be declared, let alone expanded), the
// parser never touches the network, and the tree is walked with limits on depth
// and element count.
#include "result_file.h"

#include <kakunin/base/text_encoding.h>
#include <kakunin/base/utf8.h>
#include <kakunin/base/xml_text.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>

namespace kakunin::online {
namespace {

using base::Error;

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The declared encoding and where its name sits, or why the declaration is not one.
base::Result<base::XmlDeclaredEncoding> read_declaration(std::string_view bytes) {
  using Kind = base::XmlDeclaredEncoding::Kind;
  if (bytes.starts_with("\xEF\xBB\xBF")) return Error{"starts with a byte-order mark"};
  const base::XmlDeclaredEncoding declared = base::declared_xml_encoding(bytes);
  switch (declared.kind) {
    case Kind::no_declaration:
      return Error{"has no XML declaration"};
    case Kind::no_encoding:
      return Error{"declares no encoding"};
    case Kind::broken:
      return Error{"has a broken XML declaration"};
    case Kind::other:
      return Error{"declares an encoding the terminal does not use"};
    case Kind::utf8:
    case Kind::shift_jis:
      break;
  }
  return declared;
}

// The document in UTF-8 with a declaration that says so, or why not.
base::Result<std::string> as_utf8(std::string_view bytes, config::XmlEncoding encoding) {
  auto declaration = read_declaration(bytes);
  if (!declaration.ok()) return declaration.error();
  const base::XmlDeclaredEncoding& d = declaration.value();
  const bool sjis = d.kind == base::XmlDeclaredEncoding::Kind::shift_jis;
  const bool want_sjis = encoding == config::XmlEncoding::shift_jis;
  if (sjis != want_sjis) {
    return Error{std::string("is in ") + (sjis ? "Shift_JIS" : "UTF-8") +
                 ", but online.encoding is " + (want_sjis ? "shift_jis" : "utf-8")};
  }
  std::string utf8_text;
  if (sjis) {
    auto converted = base::cp932_to_utf8(bytes);
    if (!converted.ok()) return Error{"is not valid Shift_JIS (CP932)"};
    utf8_text = std::move(converted).value();
    // The declaration is ASCII and comes first, so its place is the same in UTF-8.
    utf8_text.replace(d.value_at, d.value_size, "UTF-8");
  } else {
    if (!base::is_valid_utf8(bytes)) return Error{"is not valid UTF-8"};
    utf8_text = std::string(bytes);
  }
  // A result file has no DTD. Refusing one outright leaves no entity to expand
  // (billion laughs) and no external subset to fetch (XXE).
  if (utf8_text.find("<!DOCTYPE") != std::string::npos ||
      utf8_text.find("<!ENTITY") != std::string::npos)
    return Error{"has a DOCTYPE (result files have none)"};
  return utf8_text;
}

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

std::string text_of(const xmlNode* node) {
  std::string out;
  for (const xmlNode* child = node->children; child; child = child->next) {
    if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) &&
        child->content != nullptr)
      out += reinterpret_cast<const char*>(child->content);
  }
  return out;
}

bool is_element(const xmlNode* node, std::string_view name) {
  return node->type == XML_ELEMENT_NODE &&
         std::string_view(reinterpret_cast<const char*>(node->name)) == name;
}

// The leaf elements under one element, each at most once.
class Leaves {
 public:
  // Known names only; a known name twice is an error (which one counts would be
  // the attacker's choice).
  Leaves(const xmlNode* parent, std::initializer_list<std::string_view> known) {
    for (const xmlNode* child = parent->children; child; child = child->next) {
      if (child->type != XML_ELEMENT_NODE) continue;
      const std::string name(reinterpret_cast<const char*>(child->name));
      if (std::find(known.begin(), known.end(), name) == known.end()) continue;
      if (!values_.emplace(name, text_of(child)).second) duplicate_ = name;
    }
  }
  const std::string& duplicate() const { return duplicate_; }
  std::string get(std::string_view name) const {
    const auto it = values_.find(std::string(name));
    return it == values_.end() ? std::string() : it->second;
  }
  bool has(std::string_view name) const { return values_.count(std::string(name)) != 0; }

 private:
  std::map<std::string, std::string> values_;
  std::string duplicate_;
};

// Element children named `name`.
std::vector<const xmlNode*> children_named(const xmlNode* parent, std::string_view name) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* child = parent->children; child; child = child->next) {
    if (is_element(child, name)) out.push_back(child);
  }
  return out;
}

// Depth and element count of the whole tree, stopping at the limits.
base::Status check_shape(const xmlNode* root) {
  int elements = 0;
  struct Frame {
    const xmlNode* node;
    int depth;
  };
  std::vector<Frame> stack{{root, 1}};
  while (!stack.empty()) {
    const Frame frame = stack.back();
    stack.pop_back();
    if (frame.node->type != XML_ELEMENT_NODE) continue;
    if (++elements > kMaxResultElements) return Error{"has too many elements"};
    if (frame.depth > kMaxResultDepth) return Error{"is nested too deeply"};
    for (const xmlNode* child = frame.node->children; child; child = child->next)
      stack.push_back({child, frame.depth + 1});
  }
  return {};
}

const std::initializer_list<std::string_view> kHeaderLeaves = {
    "ArbitraryFileIdentifier", "SegmentOfResult", "CharacterCodeIdentifier", "ErrorCode"};
const std::initializer_list<std::string_view> kBodyLeaves = {
    "ProcessingResultStatus", "QualificationValidity", "ProcessingResultCode"};
const std::initializer_list<std::string_view> kSearchLeaves = {"InsurerNumber", "InsuredCardSymbol",
                                                               "InsuredIdentificationNumber"};
const std::initializer_list<std::string_view> kQualificationLeaves = {
    "InsurerNumber",
    "InsuredCardSymbol",
    "InsuredIdentificationNumber",
    "InsuredBranchNumber",
    "Name",
    "Birthdate",
    "PersonalFamilyClassification",
    "InsuredPartialContributionRatio",
    "InsuredCardExpirationDate",
    "InsurerName"};

const xmlNode* only_child(const xmlNode* parent, std::string_view name, std::string& problem) {
  const auto found = children_named(parent, name);
  if (found.size() != 1) {
    problem = "has " + std::to_string(found.size()) + " " + std::string(name) + " elements";
    return nullptr;
  }
  return found.front();
}

// Whether the answer is about the certificate asked for (numbers compared without
// the padding spaces of a 6-digit 国保 number).
bool same_certificate(const Leaves& leaves, const AskedFor& asked) {
  return trimmed(leaves.get("InsurerNumber")) == trimmed(asked.insurer_number) &&
         trimmed(leaves.get("InsuredIdentificationNumber")) == trimmed(asked.number) &&
         trimmed(leaves.get("InsuredCardSymbol")) == trimmed(asked.symbol);
}

bool one_of(const std::string& value, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), value) != codes.end();
}

base::Status read_header(const xmlNode* header, config::XmlEncoding encoding, const AskedFor& asked,
                         NationalAnswer& answer) {
  const Leaves leaves(header, kHeaderLeaves);
  if (!leaves.duplicate().empty()) return Error{"has " + leaves.duplicate() + " twice"};
  if (leaves.get("ArbitraryFileIdentifier") != asked.file_identifier)
    return Error{"is a result for another request (ArbitraryFileIdentifier differs)"};
  const std::string code = leaves.get("CharacterCodeIdentifier");
  const std::string want = encoding == config::XmlEncoding::shift_jis ? "1" : "0";
  if (leaves.has("CharacterCodeIdentifier") && code != want)
    return Error{"has a CharacterCodeIdentifier that contradicts its encoding"};
  answer.segment_of_result = leaves.get("SegmentOfResult");
  if (!one_of(answer.segment_of_result, {"1", "2", "9"}))
    return Error{"has no valid SegmentOfResult"};
  answer.code = leaves.get("ErrorCode");
  return {};
}

Qualification qualification_from(const Leaves& leaves) {
  Qualification q;
  q.insurer_number = leaves.get("InsurerNumber");
  q.symbol = leaves.get("InsuredCardSymbol");
  q.number = leaves.get("InsuredIdentificationNumber");
  q.branch = leaves.get("InsuredBranchNumber");
  q.name = leaves.get("Name");
  q.birth_date = leaves.get("Birthdate");
  q.relationship = leaves.get("PersonalFamilyClassification");
  q.ratio = leaves.get("InsuredPartialContributionRatio");
  q.valid_until = leaves.get("InsuredCardExpirationDate");
  q.insurer_name = leaves.get("InsurerName");
  return q;
}

base::Status read_results(const xmlNode* body, const AskedFor& asked, NationalAnswer& answer) {
  const auto lists = children_named(body, "ResultList");
  if (lists.size() > 1) return Error{"has 2 or more ResultList elements"};
  if (lists.empty()) return {};
  const auto results = children_named(lists.front(), "ResultOfQualificationConfirmation");
  for (const xmlNode* result : results) {
    const Leaves leaves(result, kQualificationLeaves);
    if (!leaves.duplicate().empty()) return Error{"has " + leaves.duplicate() + " twice"};
    if (!same_certificate(leaves, asked))
      return Error{"answers about another certificate than the one asked for"};
    if (!answer.qualification) answer.qualification = qualification_from(leaves);
  }
  return {};
}

base::Status read_body(const xmlNode* body, const AskedFor& asked, NationalAnswer& answer) {
  const Leaves leaves(body, kBodyLeaves);
  if (!leaves.duplicate().empty()) return Error{"has " + leaves.duplicate() + " twice"};
  answer.processing_result_status = leaves.get("ProcessingResultStatus");
  answer.validity = leaves.get("QualificationValidity");
  if (answer.code.empty()) answer.code = leaves.get("ProcessingResultCode");
  if (!one_of(answer.processing_result_status, {"1", "2"}))
    return Error{"has no valid ProcessingResultStatus"};
  for (const xmlNode* search : children_named(body, "QualificationConfirmSearchInfo")) {
    const Leaves echoed(search, kSearchLeaves);
    if (!same_certificate(echoed, asked))
      return Error{"is a result for another request (QualificationConfirmSearchInfo differs)"};
  }
  if (auto status = read_results(body, asked, answer); !status.ok()) return status;
  const bool processed = answer.processing_result_status == "1" && answer.segment_of_result == "1";
  if (!processed) return {};
  if (!one_of(answer.validity, {"1", "2", "3", "4", "5"}))
    return Error{"says 正常終了 without a valid QualificationValidity"};
  if (answer.validity == "1" && !answer.qualification)
    return Error{"says 有効 without a ResultOfQualificationConfirmation"};
  return {};
}

}  // namespace

base::Result<NationalAnswer> parse_result_file(std::string_view bytes, config::XmlEncoding encoding,
                                               const AskedFor& asked) {
  if (bytes.size() > kMaxResultBytes) return Error{"is larger than the limit"};
  auto utf8 = as_utf8(bytes, encoding);
  if (!utf8.ok()) return utf8.error();
  const std::string& text = utf8.value();
  // NONET: never fetch; no NOENT/DTDLOAD/DTDATTR: nothing is expanded or loaded;
  // no HUGE: libxml2 keeps its own limits (depth 256) on top of ours.
  Doc doc(
      xmlReadMemory(text.data(), static_cast<int>(text.size()), "result.xml", "UTF-8",
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
  if (!doc) return Error{"is not well-formed XML"};
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || !is_element(root, "XmlMsg")) return Error{"is not an XmlMsg document"};
  if (auto shape = check_shape(root); !shape.ok()) return shape.error();
  NationalAnswer answer;
  std::string problem;
  const xmlNode* header = only_child(root, "MessageHeader", problem);
  const xmlNode* body = header ? only_child(root, "MessageBody", problem) : nullptr;
  if (!header || !body) return Error{problem};
  if (auto status = read_header(header, encoding, asked, answer); !status.ok())
    return status.error();
  if (auto status = read_body(body, asked, answer); !status.ok()) return status.error();
  answer.document = text;
  return answer;
}

}  // namespace kakunin::online
