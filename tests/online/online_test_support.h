// The online check's tests: a clinic's terminal folders, a certificate, and result
// files written the way the 連携アプリ writes them (or the way an attacker would).
#pragma once

#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kakunin::testing {

// A fresh folder under the system temp folder, removed with everything in it.
class OnlineFolders {
 public:
  OnlineFolders();
  ~OnlineFolders();
  OnlineFolders(const OnlineFolders&) = delete;
  OnlineFolders& operator=(const OnlineFolders&) = delete;

  std::filesystem::path root;
  std::filesystem::path req;
  std::filesystem::path res;
  config::OnlineSettings settings(config::XmlEncoding encoding = config::XmlEncoding::utf8) const;
};

// A presentation as the verifier passes it (the online check takes any valid one).
crypto::VerifiedPresentation sample_presentation();

// What a result file says; the defaults answer sample_presentation() as 有効.
struct ResultSpec {
  std::string identifier;  // ArbitraryFileIdentifier (the request's)
  std::string segment = "1";
  std::string status = "1";
  std::string validity = "1";
  std::string code;  // ProcessingResultCode for an error
  std::string insurer_number = "06139992";
  std::string symbol = "見本記号";
  std::string number = "1234567";
  std::string branch = "01";
  std::string name = "見本 太郎";
  std::string birth_date = "19800401";
  std::string relationship = "1";
  std::string ratio = "030";
  std::string valid_until = "20270331";
  bool with_qualification = true;
  config::XmlEncoding encoding = config::XmlEncoding::utf8;
};
std::string result_document(const ResultSpec& spec);

// The request files (OQSsiquc01req_*.xml) in `folder`, sorted.
std::vector<std::filesystem::path> request_files(const std::filesystem::path& folder);
std::string file_text(const std::filesystem::path& path);
// The text of the first element `name` in an XML document (UTF-8), "" if none.
std::string element_text(const std::string& xml, const std::string& name);

bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(10));

}  // namespace kakunin::testing
