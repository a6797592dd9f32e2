#include "online_test_support.h"

#include <kakunin/base/text_encoding.h>
#include <kakunin/signer/signer.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace kakunin::testing {

OnlineFolders::OnlineFolders() {
  std::string pattern = (std::filesystem::temp_directory_path() / "kakunin-online-XXXXXX").string();
  root = mkdtemp(pattern.data());
  req = root / "req";
  res = root / "res";
  std::filesystem::create_directory(req);
  std::filesystem::create_directory(res);
}

OnlineFolders::~OnlineFolders() {
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

config::OnlineSettings OnlineFolders::settings(config::XmlEncoding encoding) const {
  config::OnlineSettings s;
  s.enabled = true;
  s.req_dir = req;
  s.res_dir = res;
  s.encoding = encoding;
  s.timeout_seconds = 5;
  s.medical_institution_code = "1312345678";
  return s;
}

crypto::VerifiedPresentation sample_presentation() {
  return {crypto::Profile::issuer_signed,
          signer::sample_certificate("06139992"),
          "見本健康保険組合",
          1795132797,
          3,
          {},
          false,
          false};
}

namespace {

void leaf(std::ostringstream& out, const char* name, const std::string& value) {
  if (!value.empty()) out << "    <" << name << ">" << value << "</" << name << ">\n";
}

}  // namespace

std::string result_document(const ResultSpec& spec) {
  const bool sjis = spec.encoding == config::XmlEncoding::shift_jis;
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"" << (sjis ? "Shift_JIS" : "UTF-8")
      << "\" standalone=\"no\"?>\n<XmlMsg>\n  <MessageHeader>\n";
  leaf(out, "ProcessExecutionTime", "20261202090000");
  leaf(out, "MedicalInstitutionCode", "1312345678");
  leaf(out, "ArbitraryFileIdentifier", spec.identifier);
  leaf(out, "SegmentOfResult", spec.segment);
  leaf(out, "CharacterCodeIdentifier", sjis ? "1" : "0");
  out << "  </MessageHeader>\n  <MessageBody>\n";
  leaf(out, "ProcessingResultStatus", spec.status);
  leaf(out, "ProcessingResultCode", spec.code);
  leaf(out, "QualificationValidity", spec.validity);
  if (spec.with_qualification) {
    out << "  <ResultList><ResultOfQualificationConfirmation>\n";
    leaf(out, "InsuredCardClassification", "01");
    leaf(out, "InsurerNumber", spec.insurer_number);
    leaf(out, "InsuredCardSymbol", spec.symbol);
    leaf(out, "InsuredIdentificationNumber", spec.number);
    leaf(out, "InsuredBranchNumber", spec.branch);
    leaf(out, "PersonalFamilyClassification", spec.relationship);
    leaf(out, "Name", spec.name);
    leaf(out, "Birthdate", spec.birth_date);
    leaf(out, "InsuredCardExpirationDate", spec.valid_until);
    leaf(out, "InsuredPartialContributionRatio", spec.ratio);
    leaf(out, "InsurerName", "見本健康保険組合");
    out << "  </ResultOfQualificationConfirmation></ResultList>\n";
  }
  out << "  </MessageBody>\n</XmlMsg>\n";
  if (!sjis) return out.str();
  return base::utf8_to_cp932(out.str()).value();
}

std::vector<std::filesystem::path> request_files(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("OQSsiquc01req_") && name.ends_with(".xml")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string element_text(const std::string& xml, const std::string& name) {
  const std::string open = "<" + name + ">";
  const std::size_t at = xml.find(open);
  if (at == std::string::npos) return {};
  const std::size_t end = xml.find("</" + name + ">", at);
  if (end == std::string::npos) return {};
  return xml.substr(at + open.size(), end - at - open.size());
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace kakunin::testing
