// Shared pieces of the hand-off tests: a JHC1 world that yields verified
// presentations, private temp folders, an XML reader (libxml2) and a local HTTP
// receiver (cpp-httplib) that can be down, failing or slow.
#pragma once

#include <kakunin/handoff/handoff.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "test_world.h"

namespace httplib {
class Server;
}

namespace kakunin::testing {

// One world for the whole program: key generation is the slow part.
const TestWorld& shared_world();

// A presentation that really went through Verifier::verify(), made from the sample
// member of `alg`'s insurer after `edit` changed the certificate.
crypto::VerifiedPresentation verified_presentation(
    Algorithm alg, const std::function<void(crypto::Certificate&)>& edit = {});

// A fresh folder under the system temp folder, removed with everything in it.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir);

// Polls `condition` until it holds or `limit` passes; never sleeps longer than needed.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(15));

// Waits until every channel of hand-off `sequence` settled (sent or failed) and
// returns its outcome; nullopt if it did not within `limit`.
std::optional<handoff::Outcome> settled_outcome(
    const handoff::Handoff& handoff, std::uint64_t sequence,
    std::chrono::milliseconds limit = std::chrono::seconds(15));

// A parsed XML document (libxml2, network access off).
class XmlDocument {
 public:
  static std::optional<XmlDocument> parse(const std::string& bytes);
  XmlDocument(XmlDocument&& other) noexcept;
  ~XmlDocument();
  // The text of the one element the XPath selects; nullopt when none or several.
  std::optional<std::string> text(const std::string& xpath) const;
  std::size_t count(const std::string& xpath) const;
  std::string declared_encoding() const;

 private:
  explicit XmlDocument(void* doc) : doc_(doc) {}
  void* doc_;
};

inline constexpr const char* kResultPath =
    "/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/";

// A receipt computer's hand-off endpoint on 127.0.0.1.
class Receiver {
 public:
  struct Request {
    std::string body;
    std::string idempotency_key;
    std::string content_type;
  };
  explicit Receiver(int port = 0);  // 0: any free port
  ~Receiver();
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/handoff"; }
  void stop();  // the endpoint goes down (connections are refused)

  std::vector<Request> requests() const;  // every request, answered 2xx or not
  std::vector<Request> accepted() const;  // the ones answered 2xx
  void answer_with(int status) { status_ = status; }
  // Holds each request until release() (a receiver that hangs).
  void hold_requests();
  void release();
  bool holding_one() const;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> status_{200};
  mutable std::mutex mutex_;
  std::condition_variable released_cv_;
  bool hold_ = false;
  bool released_ = false;
  int holding_ = 0;
  std::vector<Request> requests_;
  std::vector<Request> accepted_;
};

// A free port, known to refuse connections right now.
int unused_port();

}  // namespace kakunin::testing
