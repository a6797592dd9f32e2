#include "oqs_terminal.h"

#include "oqs_result_xml.h"  // the result file's codes, as the hand-off writes them

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/halfwidth_kana.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/base/read_file.h>
#include <kakunin/base/text_encoding.h>
#include <kakunin/base/unique_fd.h>
#include <kakunin/base/utf8.h>
#include <kakunin/base/xml_text.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <memory>
#include <thread>
#include <vector>

namespace kakunin::sample {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kRequestPrefix = "OQSsiquc01req_";
constexpr std::string_view kAnswerPrefix = "OQSsiquc01res_";
constexpr std::string_view kXmlSuffix = ".xml";
constexpr std::size_t kMaxRequestBytes = std::size_t{64} * 1024;  // a real request is under 1 KiB
constexpr auto kPollInterval = 50ms;
constexpr auto kLateDelay = std::chrono::milliseconds(30s);
constexpr int kPieces = 4;
constexpr mode_t kAnswerMode = 0640;
// The simulator's own error code: the answer's shape matters to a kiosk, not the number.
constexpr std::string_view kErrorCode = "EOQS4001";
constexpr std::string_view kSystemErrorMessage =
    "資格確認端末（模擬）: オンライン資格確認等システムで処理できませんでした。"
    "時間をおいて再度照会してください。";
constexpr std::string_view kBadRequestMessage =
    "資格確認端末（模擬）: 照会ファイルの内容を読み取れませんでした。";
// No network, no entity expansion (XML_PARSE_NOENT stays off), no noise on stderr;
// the declared encoding is ignored because the bytes were converted to UTF-8 first
// (CP932 rather than libxml2's stricter Shift_JIS).
constexpr int kParseOptions =
    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC;

struct ModeName {
  TerminalMode mode;
  std::string_view name;
};
constexpr std::array<ModeName, 11> kModeNames = {{
    {TerminalMode::answer, "answer"},
    {TerminalMode::no_answer, "no-answer"},
    {TerminalMode::late, "late"},
    {TerminalMode::error, "error"},
    {TerminalMode::lost, "lost"},
    {TerminalMode::not_found, "not-found"},
    {TerminalMode::other_ratio, "other-ratio"},
    {TerminalMode::malformed, "malformed"},
    {TerminalMode::oversized, "oversized"},
    {TerminalMode::in_pieces, "in-pieces"},
    {TerminalMode::other_request, "other-request"},
}};

// ------------------------------------------------------------------ names --

bool is_suffix_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// OQSsiquc01req_<suffix>.xml, the suffix plain enough to reuse in the answer's name.
bool is_request_name(std::string_view name) {
  if (!name.starts_with(kRequestPrefix) || !name.ends_with(kXmlSuffix)) return false;
  if (name.size() <= kRequestPrefix.size() + kXmlSuffix.size()) return false;
  const auto suffix =
      name.substr(kRequestPrefix.size(), name.size() - kRequestPrefix.size() - kXmlSuffix.size());
  return std::all_of(suffix.begin(), suffix.end(), is_suffix_char);
}

std::string answer_name(std::string_view request_name) {
  return std::string(kAnswerPrefix) + std::string(request_name.substr(kRequestPrefix.size()));
}

// Requests in `dir`, oldest name first; dot files (writes in flight) and anything
// that is not a plain file named like a request are someone else's.
std::vector<fs::path> pending_requests(const fs::path& dir, std::error_code& error) {
  std::vector<fs::path> found;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (!is_request_name(it->path().filename().string())) continue;
    std::error_code status_error;
    if (it->symlink_status(status_error).type() != fs::file_type::regular) continue;
    found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

// -------------------------------------------------------------- encodings --

// A request in the encoding its declaration names (the project's one reader of
// it, kakunin/base/xml_text.h); no declaration, or none naming an encoding, is
// XML's default UTF-8.
base::Result<std::string> request_as_utf8(std::string_view bytes) {
  using Kind = base::XmlDeclaredEncoding::Kind;
  switch (base::declared_xml_encoding(bytes).kind) {
    case Kind::no_declaration:
    case Kind::no_encoding:
    case Kind::utf8:
      if (!base::is_valid_utf8(bytes)) return base::Error{"the request is not UTF-8"};
      return std::string(bytes);
    case Kind::shift_jis: {
      auto converted = base::cp932_to_utf8(bytes);
      if (!converted.ok()) {
        return base::Error{"the request is not Shift_JIS: " + converted.error().message};
      }
      return std::move(converted).value();
    }
    case Kind::broken:
    case Kind::other:
      break;
  }
  return base::Error{"the request declares an encoding other than UTF-8 or Shift_JIS"};
}

// --------------------------------------------------------------- requests --

struct Request {
  std::string medical_institution_code;
  std::string file_identifier;
  std::string confirmation_date;
  std::string insurer_number;  // as sent: 8 characters, a 国保 number space-padded
  std::optional<std::string> symbol;
  std::string number;
  std::optional<std::string> branch;
  std::string birth_date;
  std::optional<std::string> consent_flag;
};

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

const xmlNode* find_element(const xmlNode* parent, std::string_view name) {
  for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    if (name == reinterpret_cast<const char*>(child->name)) return child;
    if (const xmlNode* found = find_element(child, name)) return found;
  }
  return nullptr;
}

// A vendor's layout may move an element between header and body: the first one
// with the name anywhere counts (each appears once in a request).
std::optional<std::string> text_of(const xmlNode* root, std::string_view name) {
  const xmlNode* element = find_element(root, name);
  if (element == nullptr) return std::nullopt;
  xmlChar* content = xmlNodeGetContent(element);
  std::string text = content != nullptr ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return text;
}

// Present and not blank: an empty optional element says "none" as its absence does.
std::optional<std::string> given(std::optional<std::string> text) {
  if (text && text->find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  return text;
}

base::Result<Request> read_request_fields(const xmlNode* root) {
  Request request;
  for (const auto& [name, field] : {std::pair{"InsurerNumber", &request.insurer_number},
                                    std::pair{"InsuredIdentificationNumber", &request.number},
                                    std::pair{"Birthdate", &request.birth_date}}) {
    auto text = given(text_of(root, name));
    if (!text) return base::Error{std::string("the request has no ") + name};
    *field = std::move(*text);
  }
  request.medical_institution_code = text_of(root, "MedicalInstitutionCode").value_or("");
  request.file_identifier = text_of(root, "ArbitraryFileIdentifier").value_or("");
  request.confirmation_date = text_of(root, "QualificationConfirmationDate").value_or("");
  request.symbol = given(text_of(root, "InsuredCardSymbol"));
  request.branch = given(text_of(root, "InsuredBranchNumber"));
  request.consent_flag = text_of(root, "LimitApplicationCertificateRelatedConsFlg");
  return request;
}

base::Result<Request> parse_request(std::string_view bytes) {
  auto utf8 = request_as_utf8(bytes);
  if (!utf8.ok()) return utf8.error();
  const std::string& text = utf8.value();
  // Refused before libxml2 sees it: a DOCTYPE is how entity bombs and external
  // entities get in, and no request needs one.
  if (text.find("<!DOCTYPE") != std::string::npos) {
    return base::Error{"the request has a DOCTYPE"};
  }
  XmlDoc doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), "request.xml", "UTF-8",
                           kParseOptions));
  if (!doc) return base::Error{"the request is not well-formed XML"};
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return base::Error{"the request has a DOCTYPE"};
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || std::string_view(reinterpret_cast<const char*>(root->name)) != "XmlMsg") {
    return base::Error{"the request's root element is not XmlMsg"};
  }
  return read_request_fields(root);
}

// ---------------------------------------------------------------- roster --

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

bool is_member_asked_for(const crypto::Certificate& c, const Request& r) {
  // The request carries 8 characters: a 6-digit 国保 number comes space-padded.
  if (trimmed(r.insurer_number) != c.insurer_number) return false;
  if (trimmed(r.number) != c.number) return false;
  if (trimmed(r.symbol.value_or("")) != c.symbol.value_or("")) return false;
  // A request without 枝番 asks about whoever holds the card.
  if (r.branch && trimmed(*r.branch) != c.branch) return false;
  return trimmed(r.birth_date) == base::yyyymmdd(c.birth_date);
}

const SampleMember* find_member(const SampleWorld& world, const Request& request) {
  for (const auto& member : world.members) {
    if (is_member_asked_for(member.certificate, request)) return &member;
  }
  return nullptr;
}

const SampleInsurer* find_insurer(const SampleWorld& world, const std::string& number) {
  for (const auto& insurer : world.insurers) {
    if (insurer.number == number) return &insurer;
  }
  return nullptr;
}

// ----------------------------------------------------------------- answer --

// The project's one XML writer (kakunin/base/xml_text.h), in the terminal's encoding.
using base::XmlWriter;

XmlWriter::Encoding writer_encoding(config::XmlEncoding encoding) {
  return encoding == config::XmlEncoding::shift_jis ? XmlWriter::Encoding::cp932
                                                    : XmlWriter::Encoding::utf8;
}

void leaf_if(XmlWriter& x, std::string_view name, const std::optional<std::string>& value) {
  if (value) x.leaf(name, *value);
}

enum class Verdict { entitled, lost, not_found, error };

// What one answer says; the request is null when it could not be read.
struct AnswerPlan {
  const Request* request = nullptr;
  Verdict verdict = Verdict::error;
  const SampleMember* member = nullptr;
  std::string file_identifier;
  std::optional<int> ratio_tenths;
  std::string_view error_message;
};

// A ratio the certificate does not have: 3 -> 2, 2 -> 3, 1 -> 3 (none -> 3).
int other_ratio(std::optional<int> tenths) { return tenths == 3 ? 2 : 3; }

void write_header(XmlWriter& x, const AnswerPlan& plan, const std::string& executed_at,
                  config::XmlEncoding encoding) {
  const Request empty;
  const Request& r = plan.request != nullptr ? *plan.request : empty;
  x.open("MessageHeader");
  x.leaf("ProcessExecutionTime", executed_at);
  x.leaf("QualificationConfirmationDate", r.confirmation_date);
  x.leaf("MedicalInstitutionCode", r.medical_institution_code);
  x.leaf("ArbitraryFileIdentifier", plan.file_identifier);
  x.leaf("ReferenceClassification", "2");  // 被保険者証情報
  if (plan.verdict == Verdict::error) {
    x.leaf("SegmentOfResult", "9");  // 異常終了
    x.leaf("ErrorCode", kErrorCode);
    x.leaf("ErrorMessage", plan.error_message);
  } else {
    x.leaf("SegmentOfResult", "1");  // 正常終了
  }
  x.leaf("CharacterCodeIdentifier", encoding == config::XmlEncoding::shift_jis ? "1" : "0");
  x.close("MessageHeader");
}

void write_search_info(XmlWriter& x, const Request& r) {
  x.open("QualificationConfirmSearchInfo");
  x.leaf("InsurerNumber", r.insurer_number);
  leaf_if(x, "InsuredCardSymbol", r.symbol);
  x.leaf("InsuredIdentificationNumber", r.number);
  leaf_if(x, "InsuredBranchNumber", r.branch);
  x.leaf("Birthdate", r.birth_date);
  leaf_if(x, "LimitApplicationCertificateRelatedConsFlg", r.consent_flag);
  x.close("QualificationConfirmSearchInfo");
}

void write_qualification(XmlWriter& x, const AnswerPlan& plan, const SampleWorld& world) {
  const crypto::Certificate& c = plan.member->certificate;
  x.open("ResultList");
  x.open("ResultOfQualificationConfirmation");
  x.leaf("InsuredCardClassification", "01");
  x.leaf("InsurerNumber", plan.request->insurer_number);
  leaf_if(x, "InsuredCardSymbol", c.symbol);
  x.leaf("InsuredIdentificationNumber", c.number);
  x.leaf("InsuredBranchNumber", c.branch);
  x.leaf("PersonalFamilyClassification",
         c.relationship == crypto::Relationship::insured ? "1" : "2");
  x.leaf("Name", c.name);
  if (c.name_kana) leaf_if(x, "NameKana", base::to_halfwidth_kana(*c.name_kana));
  x.leaf("Sex1", handoff::oqs_sex(c.sex));
  x.leaf("Birthdate", base::yyyymmdd(c.birth_date));
  if (c.acquired) x.leaf("QualificationDate", base::yyyymmdd(*c.acquired));
  x.leaf("InsuredCertificateIssuanceDate", base::yyyymmdd(c.issued));
  x.leaf("InsuredCardValidDate", base::yyyymmdd(c.issued));
  x.leaf("InsuredCardExpirationDate", base::yyyymmdd(c.valid_until));
  if (plan.ratio_tenths) {
    x.leaf("InsuredPartialContributionRatio", handoff::oqs_contribution_ratio(*plan.ratio_tenths));
  }
  if (const SampleInsurer* insurer = find_insurer(world, c.insurer_number)) {
    x.leaf("InsurerName", insurer->name);
  }
  x.close("ResultOfQualificationConfirmation");
  x.close("ResultList");
}

void write_body(XmlWriter& x, const AnswerPlan& plan, const SampleWorld& world) {
  x.open("MessageBody");
  if (plan.verdict == Verdict::error) {
    x.leaf("ProcessingResultStatus", "2");  // エラー
    x.leaf("ProcessingResultCode", kErrorCode);
    x.leaf("ProcessingResultMessage", plan.error_message);
    if (plan.request != nullptr) write_search_info(x, *plan.request);
  } else {
    x.leaf("ProcessingResultStatus", "1");  // 正常終了
    x.leaf("QualificationValidity", plan.verdict == Verdict::entitled ? "1"
                                    : plan.verdict == Verdict::lost   ? "2"
                                                                      : "4");
    write_search_info(x, *plan.request);
    if (plan.verdict != Verdict::not_found) write_qualification(x, plan, world);
  }
  x.close("MessageBody");
}

base::Result<std::string> render_document(const AnswerPlan& plan, const SampleWorld& world,
                                          const std::string& executed_at,
                                          config::XmlEncoding encoding) {
  XmlWriter x(writer_encoding(encoding));
  x.open("XmlMsg");
  write_header(x, plan, executed_at, encoding);
  write_body(x, plan, world);
  x.close("XmlMsg");
  auto document = std::move(x).finish();
  if (!document.ok()) {
    return base::Error{"the answer cannot be written: " + document.error().message};
  }
  return document;
}

// Cut inside the closing tag of the body's first element: the file stops in the
// middle of an element, as a writer that died or a share that dropped it leaves it.
std::string truncated(std::string document) {
  constexpr std::string_view kCutIn = "</ProcessingResultStatus>";
  const auto at = document.find(kCutIn);
  document.resize(at == std::string::npos ? document.size() / 2 : at + kCutIn.size() / 2);
  return document;
}

// Whitespace is allowed between elements, so the file still looks like an answer;
// only its size is wrong.
std::string padded(std::string document) {
  constexpr std::string_view kPadAfter = "<MessageBody>\n";
  const auto at = document.find(kPadAfter);
  const auto where = at == std::string::npos ? document.size() : at + kPadAfter.size();
  document.insert(where, std::string(kOversizedAnswerBytes, ' '));
  return document;
}

// What the simulated national system says about `request` in `mode`; `outcome`
// gets the English line for the event.
AnswerPlan plan_for(const Request& request, const SampleWorld& world, TerminalMode mode,
                    int sequence, std::string& outcome) {
  AnswerPlan plan;
  plan.request = &request;
  plan.file_identifier = request.file_identifier;
  if (mode == TerminalMode::other_request) {
    plan.file_identifier = "kakunin-sim-other-" + std::to_string(sequence);
    if (plan.file_identifier == request.file_identifier) plan.file_identifier += "-2";
  }
  if (mode == TerminalMode::error) {
    plan.verdict = Verdict::error;
    plan.error_message = kSystemErrorMessage;
    outcome = "error answer (" + std::string(kErrorCode) + ")";
    return plan;
  }
  plan.member = mode == TerminalMode::not_found ? nullptr : find_member(world, request);
  if (plan.member == nullptr) {
    plan.verdict = Verdict::not_found;
    outcome = mode == TerminalMode::not_found ? "not found (validity 4)"
                                              : "not found (validity 4): no such member";
    return plan;
  }
  plan.ratio_tenths = plan.member->certificate.ratio_tenths;
  if (mode == TerminalMode::other_ratio) plan.ratio_tenths = other_ratio(plan.ratio_tenths);
  plan.verdict = mode == TerminalMode::lost ? Verdict::lost : Verdict::entitled;
  outcome = mode == TerminalMode::lost ? "lost (validity 2)" : "entitled (validity 1)";
  if (mode == TerminalMode::other_ratio) outcome += " with another ratio";
  return plan;
}

// The mode's damage done to a rendered answer.
std::string shaped(std::string document, TerminalMode mode) {
  if (mode == TerminalMode::malformed) return truncated(std::move(document));
  if (mode == TerminalMode::oversized) return padded(std::move(document));
  return document;
}

// ---------------------------------------------------------------- writing --

base::Status write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return base::system_error("write", errno);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

// The final name written directly in pieces with pauses, as a careless writer (or
// a copy over a slow share) does: a reader that does not wait sees a partial file.
base::Status write_in_pieces(const fs::path& path, std::string_view bytes,
                             std::chrono::milliseconds pause) {
  base::UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, kAnswerMode));
  if (!fd) return base::system_error("cannot create " + path.filename().string(), errno);
  if (::fchmod(fd.get(), kAnswerMode) != 0) return base::system_error("fchmod", errno);
  const std::size_t piece = (bytes.size() + kPieces - 1) / kPieces;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    if (at > 0) std::this_thread::sleep_for(pause);
    if (auto written = write_all(fd.get(), bytes.substr(at, piece)); !written.ok()) return written;
  }
  return fd.close();
}

}  // namespace

std::optional<TerminalMode> terminal_mode_from_name(std::string_view name) {
  for (const auto& entry : kModeNames) {
    if (entry.name == name) return entry.mode;
  }
  return std::nullopt;
}

std::string_view terminal_mode_name(TerminalMode mode) {
  for (const auto& entry : kModeNames) {
    if (entry.mode == mode) return entry.name;
  }
  return "answer";
}

std::vector<std::string> terminal_mode_names() {
  std::vector<std::string> names;
  names.reserve(kModeNames.size());
  for (const auto& entry : kModeNames) names.emplace_back(entry.name);
  return names;
}

TerminalSimulator::TerminalSimulator(const SampleWorld& world, TerminalOptions options)
    : world_(world), options_(std::move(options)) {
  // libxml2 sets up its globals lazily; done here, before run() may parse on
  // another thread than the caller's own libxml2 use.
  xmlInitParser();
}

int TerminalSimulator::answer_pending() { return take_pending(nullptr); }

void TerminalSimulator::run(const std::atomic<bool>& stop) {
  while (!stop) {
    take_pending(&stop);
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::optional<std::string> TerminalSimulator::last_error() const {
  std::lock_guard lock(error_mutex_);
  return last_error_;
}

int TerminalSimulator::take_pending(const std::atomic<bool>* stop) {
  std::error_code error;
  const auto requests = pending_requests(options_.req_dir, error);
  if (error) {
    fail("cannot list the req folder " + options_.req_dir.string() + ": " + error.message());
    return 0;
  }
  int taken = 0;
  for (const auto& request : requests) {
    if (stop != nullptr && *stop) break;
    if (stuck_.contains(request.filename().string())) continue;
    if (take(request, stop)) ++taken;
  }
  return taken;
}

bool TerminalSimulator::take(const fs::path& request, const std::atomic<bool>* stop) {
  const std::string name = request.filename().string();
  auto bytes = base::read_file(request, kMaxRequestBytes);
  std::error_code removed;
  fs::remove(request, removed);
  if (removed) {
    // Left in req, it would be answered again on every look: take it never.
    stuck_.insert(name);
    fail("cannot take " + name + " from the req folder: " + removed.message());
    return false;
  }
  TerminalEvent event;
  event.request_file = name;
  event.mode = options_.mode;
  if (options_.mode == TerminalMode::no_answer) {
    event.outcome = "not answered";
  } else if (!wait_before_answering(stop)) {
    event.outcome = "not answered: stopped during the delay";
  } else {
    const fs::path answer_path = options_.res_dir / answer_name(name);
    const auto answer = render_answer(bytes, event);
    if (answer.ok()) {
      write_answer(answer_path, answer.value(), event);
    } else {
      event.outcome = "not written: " + answer.error().message;
      fail("cannot write " + answer_path.filename().string() + ": " + answer.error().message);
    }
  }
  report(event);
  return true;
}

bool TerminalSimulator::wait_before_answering(const std::atomic<bool>* stop) const {
  auto delay = options_.delay;
  if (options_.mode == TerminalMode::late && delay <= 0ms) delay = kLateDelay;
  const auto until = std::chrono::steady_clock::now() + delay;
  for (auto left = delay; left > 0ms; left = std::chrono::duration_cast<std::chrono::milliseconds>(
                                          until - std::chrono::steady_clock::now())) {
    if (stop != nullptr && *stop) return false;
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(left, kPollInterval));
  }
  return true;
}

base::Result<std::string> TerminalSimulator::render_answer(const base::Result<std::string>& bytes,
                                                           TerminalEvent& event) {
  const base::Result<Request> request =
      bytes.ok() ? parse_request(bytes.value()) : base::Result<Request>(bytes.error());
  AnswerPlan plan;
  if (!request.ok()) {
    plan.error_message = kBadRequestMessage;
    event.outcome = "error answer: " + request.error().message;
  } else {
    plan = plan_for(request.value(), world_, options_.mode, ++answered_, event.outcome);
  }
  const base::Clock& clock = options_.clock != nullptr ? *options_.clock : base::system_clock();
  const std::string executed_at = base::yyyymmddhhmmss(base::japan_time_at(clock.wall_now()));
  auto document = render_document(plan, world_, executed_at, options_.encoding);
  if (!document.ok()) return document.error();
  return shaped(std::move(document).value(), options_.mode);
}

void TerminalSimulator::write_answer(const fs::path& path, const std::string& bytes,
                                     TerminalEvent& event) {
  const base::Status written =
      options_.mode == TerminalMode::in_pieces
          ? write_in_pieces(path, bytes, options_.piece_pause)
          : base::write_file_atomically(path, bytes, {.mode = kAnswerMode});
  if (!written.ok()) {
    event.outcome = "not written: " + written.error().message;
    fail("cannot write " + path.filename().string() + ": " + written.error().message);
    return;
  }
  event.answer_file = path.filename().string();
}

void TerminalSimulator::report(const TerminalEvent& event) {
  if (options_.on_request) options_.on_request(event);
}

void TerminalSimulator::fail(const std::string& reason) {
  {
    std::lock_guard lock(error_mutex_);
    if (last_error_ == reason) return;
    last_error_ = reason;
  }
  if (options_.on_error) options_.on_error(reason);
}

}  // namespace kakunin::sample
