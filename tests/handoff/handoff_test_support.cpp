#include "handoff_test_support.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

namespace kakunin::testing {

const TestWorld& shared_world() {
  static const TestWorld world;
  return world;
}

crypto::VerifiedPresentation verified_presentation(
    Algorithm alg, const std::function<void(crypto::Certificate&)>& edit) {
  const TestWorld& world = shared_world();
  signer::IssuerPresentation p = world.issuer_presentation(alg, kNow - 3);
  if (edit) edit(p.certificate);
  const std::string qr =
      signer::to_qr_text(signer::make_issuer_presentation(p, world.insurer(alg).key));
  static const crypto::Verifier verifier = world.verifier();
  const crypto::VerifyResult result = verifier.verify(qr, kNow);
  if (!result.is_valid()) {
    ADD_FAILURE() << "test presentation not valid: " << result.detail();
    throw std::logic_error("invalid test presentation");
  }
  return *result.presentation();
}

TempFolder::TempFolder() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "kakunin-handoff-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempFolder::~TempFolder() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::optional<handoff::Outcome> settled_outcome(const handoff::Handoff& handoff,
                                                std::uint64_t sequence,
                                                std::chrono::milliseconds limit) {
  std::optional<handoff::Outcome> outcome;
  eventually(
      [&] {
        outcome = handoff.outcome(sequence);
        return outcome && outcome->settled();
      },
      limit);
  if (outcome && !outcome->settled()) return std::nullopt;
  return outcome;
}

// ------------------------------------------------------------------- XML --

std::optional<XmlDocument> XmlDocument::parse(const std::string& bytes) {
  xmlDocPtr doc = xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "result.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) return std::nullopt;
  return XmlDocument(doc);
}

XmlDocument::XmlDocument(XmlDocument&& other) noexcept : doc_(other.doc_) { other.doc_ = nullptr; }

XmlDocument::~XmlDocument() {
  if (doc_ != nullptr) xmlFreeDoc(static_cast<xmlDocPtr>(doc_));
}

namespace {

struct XPathResult {
  xmlXPathContextPtr context = nullptr;
  xmlXPathObjectPtr object = nullptr;
  ~XPathResult() {
    if (object) xmlXPathFreeObject(object);
    if (context) xmlXPathFreeContext(context);
  }
  int size() const { return object && object->nodesetval ? object->nodesetval->nodeNr : 0; }
};

void evaluate(void* doc, const std::string& xpath, XPathResult& result) {
  result.context = xmlXPathNewContext(static_cast<xmlDocPtr>(doc));
  result.object =
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), result.context);
}

}  // namespace

std::optional<std::string> XmlDocument::text(const std::string& xpath) const {
  XPathResult result;
  evaluate(doc_, xpath, result);
  if (result.size() != 1) return std::nullopt;
  xmlChar* content = xmlNodeGetContent(result.object->nodesetval->nodeTab[0]);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return out;
}

std::size_t XmlDocument::count(const std::string& xpath) const {
  XPathResult result;
  evaluate(doc_, xpath, result);
  return static_cast<std::size_t>(result.size());
}

std::string XmlDocument::declared_encoding() const {
  const auto* doc = static_cast<xmlDocPtr>(doc_);
  return doc->encoding ? reinterpret_cast<const char*>(doc->encoding) : "";
}

// -------------------------------------------------------------- receiver --

Receiver::Receiver(int port) : server_(std::make_unique<httplib::Server>()) {
  server_->Post("/handoff", [this](const httplib::Request& request, httplib::Response& response) {
    Request seen{request.body, request.get_header_value("Idempotency-Key"),
                 request.get_header_value("Content-Type")};
    std::unique_lock lock(mutex_);
    requests_.push_back(seen);
    if (hold_) {
      ++holding_;
      released_cv_.wait_for(lock, std::chrono::seconds(20), [&] { return released_; });
      --holding_;
    }
    const int status = status_;
    if (status >= 200 && status < 300) accepted_.push_back(seen);
    response.status = status;
    response.set_content("{}", "application/json");
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port("127.0.0.1");
  } else {
    port_ = server_->bind_to_port("127.0.0.1", port) ? port : -1;
  }
  if (port_ <= 0) throw std::runtime_error("receiver cannot bind");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() only works once the accept loop runs.
  if (!eventually([this] { return server_->is_running(); })) {
    throw std::runtime_error("receiver did not start");
  }
}

Receiver::~Receiver() { stop(); }

void Receiver::stop() {
  release();
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

std::vector<Receiver::Request> Receiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<Receiver::Request> Receiver::accepted() const {
  std::lock_guard lock(mutex_);
  return accepted_;
}

void Receiver::hold_requests() {
  std::lock_guard lock(mutex_);
  hold_ = true;
  released_ = false;
}

void Receiver::release() {
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  released_cv_.notify_all();
}

bool Receiver::holding_one() const {
  std::lock_guard lock(mutex_);
  return holding_ > 0;
}

int unused_port() {
  Receiver probe;
  const int port = probe.port();
  probe.stop();
  return port;
}

}  // namespace kakunin::testing
