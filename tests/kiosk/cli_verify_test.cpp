// `kakunin verify` as integrators and field testers use it: files on disk, text or
// images in, one JSON line per QR out, and exit statuses scripts can rely on.
#include "qr_image.h"
#include "test_world.h"

#include <kakunin/kiosk/cli.h>
#include <kakunin/ui/catalogue.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace kakunin::testing {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status;
  std::string out;
  std::string err;
  nlohmann::json line(std::size_t index = 0) const {
    std::istringstream lines(out);
    std::string text;
    for (std::size_t i = 0; i <= index; ++i) std::getline(lines, text);
    return nlohmann::json::parse(text);
  }
};

class VerifyCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("kakunin-cli-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
           "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
    write_lists();
  }
  void TearDown() override { fs::remove_all(dir); }

  void write_lists() {
    write(dir / "trustlist.cose", signer::make_trust_list(world.trust_spec, world.list_key));
    write(dir / "revocations.cose",
          signer::make_revocation_list(world.revocation_spec, world.list_key));
    std::ofstream(dir / "pinned.pem") << world.list_key.public_pem();
  }
  static void write(const fs::path& path, const crypto::Bytes& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }

  // `verify` with this test's trust material.
  std::vector<std::string> verify_with_lists() const {
    return {"verify",
            "--trust-list",
            (dir / "trustlist.cose").string(),
            "--revocations",
            (dir / "revocations.cose").string(),
            "--pinned-key",
            (dir / "pinned.pem").string()};
  }

  CliRun verify(std::vector<std::string> extra) const {
    std::vector<std::string> args = verify_with_lists();
    args.push_back("--json");
    if (std::find(extra.begin(), extra.end(), "--now") == extra.end()) {
      args.insert(args.end(), {"--now", std::to_string(kNow)});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    const int status = kiosk::run_cli(args, out, err);
    return {status, out.str(), err.str()};
  }

  // A PNG holding the given QR texts side by side.
  fs::path png_of(const std::vector<std::string>& texts, const std::string& name) const {
    std::vector<cv::Mat> images;
    int height = 0;
    for (const auto& text : texts) {
      images.push_back(qr_image(text));
      height = std::max(height, images.back().rows);
    }
    for (auto& image : images) {
      cv::copyMakeBorder(image, image, 0, height - image.rows, 0, 0, cv::BORDER_CONSTANT,
                         cv::Scalar(255));
    }
    cv::Mat all;
    cv::hconcat(images, all);
    const fs::path path = dir / name;
    cv::imwrite(path.string(), all);
    return path;
  }

  // A §5.1 presentation naming the real insurer key but signed by another key.
  std::string forged_qr() const {
    const signer::SigningKey forger = signer::SigningKey::generate(Algorithm::es256);
    signer::Sign1Parts parts;
    parts.protected_map = signer::protected_header(Algorithm::es256, world.es256_insurer.key.kid());
    parts.payload = signer::issuer_claims(world.issuer_presentation(Algorithm::es256)).encode();
    return signer::to_qr_text(signer::sign1(parts, forger));
  }

  TestWorld world;
  fs::path dir;
};

TEST_F(VerifyCommand, PrintsTheCertificateOfAValidQrAndExitsZero) {
  const CliRun run = verify({"--text", world.issuer_qr(Algorithm::es256)});
  EXPECT_EQ(run.status, 0) << run.err;
  const auto line = run.line();
  EXPECT_EQ(line["input"], "text");
  EXPECT_EQ(line["verdict"], "valid");
  EXPECT_EQ(line["message_ja"], "確認できました。");
  const auto& record = line["record"];
  EXPECT_EQ(record["certificate"]["name"], "見本 太郎");
  EXPECT_EQ(record["insurer_name"], "見本健康保険組合");
  EXPECT_EQ(record["certificate"]["birth_date"], "1980-04-01");
  EXPECT_EQ(record["profile"], "issuer");
  EXPECT_TRUE(run.err.empty());
}

// An integrator testing with the CLI reads exactly what the kiosk hands over:
// the hand-off's record (docs/handoff.md §2), without the hand-off's number.
TEST_F(VerifyCommand, PrintsTheHandOffsOwnRecordOfTheCertificate) {
  const CliRun run = verify({"--text", world.issuer_qr(Algorithm::es256)});
  const auto record = run.line()["record"];
  EXPECT_EQ(record["format"], "kakunin-handoff");
  EXPECT_EQ(record["version"], 1);
  EXPECT_FALSE(record.contains("sequence"));
  EXPECT_FALSE(record.contains("kiosk_id"));
  EXPECT_EQ(record["checked_at_unix"], kNow) << "verified as of --now";
  EXPECT_EQ(record["qr_age_seconds"], 0);
  EXPECT_EQ(record["test_material"], false);
  EXPECT_EQ(record["credential_id"].get<std::string>().size(), 32u);
  const auto& certificate = record["certificate"];
  EXPECT_EQ(certificate["ratio_tenths"], 3) << "one set of names with the hand-off";
  EXPECT_EQ(certificate["issue_category"], 1);
  EXPECT_FALSE(certificate.contains("ratio"));
  EXPECT_FALSE(certificate.contains("category"));
  EXPECT_TRUE(certificate["limit_category"].is_null()) << "absent fields are null, not missing";
  EXPECT_EQ(certificate.size(), 16u);
}

TEST_F(VerifyCommand, RefusesAForgeryWithoutShowingItsContents) {
  const CliRun run = verify({"--text", forged_qr()});
  EXPECT_EQ(run.status, 1);
  const auto line = run.line();
  EXPECT_EQ(line["verdict"], "bad_signature");
  EXPECT_FALSE(line.contains("record"));
  EXPECT_EQ(run.out.find("見本 太郎"), std::string::npos);
  EXPECT_TRUE(run.err.empty());
}

TEST_F(VerifyCommand, RefusesAQrSignedByAKeyNobodyListed) {
  const signer::SigningKey stranger = signer::SigningKey::generate(Algorithm::es256);
  const auto cose =
      signer::make_issuer_presentation(world.issuer_presentation(Algorithm::es256), stranger);
  const CliRun run = verify({"--text", signer::to_qr_text(cose)});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.line()["verdict"], "unknown_key");
}

TEST_F(VerifyCommand, PrintsAReadableEnglishBlockWithoutJson) {
  std::vector<std::string> args = verify_with_lists();
  args.insert(args.end(),
              {"--now", std::to_string(kNow), "--text", world.issuer_qr(Algorithm::es256)});
  std::ostringstream out, err;
  EXPECT_EQ(kiosk::run_cli(args, out, err), 0);
  EXPECT_EQ(out.str().rfind("text: valid", 0), 0u) << out.str();
  EXPECT_NE(out.str().find("見本健康保険組合"), std::string::npos);
  EXPECT_FALSE(nlohmann::json::accept(out.str()));
  EXPECT_TRUE(err.str().empty());
}

TEST_F(VerifyCommand, VerifiesAPhotographOfAScreen) {
  const fs::path image = png_of({world.holder_qr(Algorithm::ed25519)}, "phone.png");
  const CliRun run = verify({image.string()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.line()["input"], image.string());
  EXPECT_EQ(run.line()["verdict"], "valid");
  EXPECT_EQ(run.line()["record"]["profile"], "holder");
}

// During a key rotation the kiosk pins the current and the next list key.
TEST_F(VerifyCommand, AcceptsASecondPinnedKeyFollowedByImages) {
  std::ofstream(dir / "next.pem") << signer::SigningKey::generate(Algorithm::ed25519).public_pem();
  const fs::path image = png_of({world.issuer_qr(Algorithm::es256)}, "counter.png");
  const CliRun run = verify({"--pinned-key", (dir / "next.pem").string(), image.string()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.line()["input"], image.string());
  EXPECT_EQ(run.line()["verdict"], "valid");
}

TEST_F(VerifyCommand, GivesOneLinePerQrInAnImageAndRefusesIfAnyIsRefused) {
  const fs::path both_valid =
      png_of({world.issuer_qr(Algorithm::es256), world.holder_qr(Algorithm::ed25519)}, "two.png");
  CliRun run = verify({both_valid.string()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 2);
  EXPECT_EQ(run.line(0)["verdict"], "valid");
  EXPECT_EQ(run.line(1)["verdict"], "valid");

  const fs::path one_forged =
      png_of({world.issuer_qr(Algorithm::es256), forged_qr()}, "one-forged.png");
  run = verify({one_forged.string()});
  EXPECT_EQ(run.status, 1);
  ASSERT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 2);
  std::vector<std::string> verdicts = {run.line(0)["verdict"], run.line(1)["verdict"]};
  std::sort(verdicts.begin(), verdicts.end());
  EXPECT_EQ(verdicts, (std::vector<std::string>{"bad_signature", "valid"}));
}

TEST_F(VerifyCommand, ReportsAnImageWithoutAQrAsAnInputErrorNotAVerdict) {
  cv::imwrite((dir / "blank.png").string(), cv::Mat(100, 100, CV_8UC1, cv::Scalar(255)));
  const CliRun run = verify({(dir / "blank.png").string()});
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(run.line()["verdict"].is_null());
  EXPECT_EQ(run.line()["error"], "no_qr_found");
}

TEST_F(VerifyCommand, ReplaysACaptureAtItsOwnTimeAndRefusesItLater) {
  const std::string qr = world.issuer_qr(Algorithm::es256, kNow - 3600);
  CliRun run = verify({"--text", qr, "--now", std::to_string(kNow - 3590)});
  EXPECT_EQ(run.line()["verdict"], "valid");
  run = verify({"--text", qr});
  EXPECT_EQ(run.line()["verdict"], "credential_expired");
}

TEST_F(VerifyCommand, ProductionModeRefusesTestMaterial) {
  world.trust_spec.header.test = true;
  write_lists();
  EXPECT_EQ(verify({"--text", world.issuer_qr(Algorithm::es256)}).line()["verdict"],
            "test_material");
  const CliRun test_mode = verify({"--mode", "test", "--text", world.issuer_qr(Algorithm::es256)});
  EXPECT_EQ(test_mode.line()["verdict"], "valid");
  EXPECT_EQ(test_mode.line()["record"]["test_material"], true);
}

TEST_F(VerifyCommand, AMissingPinnedKeyIsASetupErrorOnOneLine) {
  fs::remove(dir / "pinned.pem");
  const CliRun run = verify({"--text", "JHC1:X"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err.rfind("kakunin: error: ", 0), 0u);
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
  EXPECT_TRUE(run.out.empty());
}

TEST_F(VerifyCommand, ATrustListFromAnUnpinnedKeyIsASetupError) {
  write(dir / "trustlist.cose",
        signer::make_trust_list(world.trust_spec, signer::SigningKey::generate(Algorithm::es256)));
  const CliRun run = verify({"--text", world.issuer_qr(Algorithm::es256)});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("not pinned"), std::string::npos);
}

TEST_F(VerifyCommand, SkippingFreshnessIsRefusedInProduction) {
  const CliRun run = verify({"--skip-freshness", "--text", world.issuer_qr(Algorithm::es256)});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("--skip-freshness"), std::string::npos);
  EXPECT_TRUE(run.out.empty());
}

TEST_F(VerifyCommand, AcceptsAPrintedTestSheetInTestModeWhenFreshnessIsSkipped) {
  world.trust_spec.header.test = true;
  world.revocation_spec.header.test = true;
  write_lists();
  const std::string sheet = world.holder_qr(Algorithm::es256, kNow - 3600);
  EXPECT_EQ(verify({"--mode", "test", "--text", sheet}).line()["verdict"], "stale");
  const CliRun run = verify({"--mode", "test", "--skip-freshness", "--text", sheet});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.line()["record"]["test_material"], true);
  EXPECT_EQ(run.line()["record"]["freshness_skipped"], true);
}

TEST_F(VerifyCommand, NeedsEitherTextOrImages) {
  EXPECT_EQ(verify({}).status, 2);
  EXPECT_EQ(verify({"--text", "JHC1:", "x.png"}).status, 2);
}

TEST(KakuninProgram, PrintsItsVersion) {
  std::ostringstream out, err;
  EXPECT_EQ(kiosk::run_cli({"--version"}, out, err), 0);
  EXPECT_EQ(out.str().rfind("kakunin ", 0), 0u);
  EXPECT_EQ(kiosk::run_cli({"frobnicate"}, out, err), 2);
}

TEST(VerdictMessages, TellStaffWhatHappenedInJapaneseAndEnglishForEveryVerdict) {
  std::vector<std::string> japanese;
  for (int i = 0; i < crypto::kVerdictCount; ++i) {
    const auto verdict = static_cast<crypto::Verdict>(i);
    const std::string ja = ui::verdict_message(verdict, ui::Language::japanese);
    const std::string en = ui::verdict_message(verdict, ui::Language::english);
    EXPECT_FALSE(en.empty()) << crypto::verdict_name(verdict);
    // Japanese text is not ASCII; an English fallback would be all ASCII.
    EXPECT_TRUE(std::any_of(ja.begin(), ja.end(), [](char c) { return c & 0x80; }))
        << crypto::verdict_name(verdict);
    EXPECT_EQ(std::find(japanese.begin(), japanese.end(), ja), japanese.end())
        << crypto::verdict_name(verdict) << " shares its message with another verdict";
    japanese.push_back(ja);
  }
  EXPECT_NE(ui::verdict_message(crypto::Verdict::stale, ui::Language::japanese)
                .find("スクリーンショット"),
            std::string_view::npos);
  EXPECT_NE(ui::verdict_message(crypto::Verdict::revoked, ui::Language::japanese).find("無効"),
            std::string_view::npos);
}

}  // namespace
}  // namespace kakunin::testing
