// `kakunin verify` as integrators and field testers use it: files on disk, text or
// images in, one JSON line per QR out, and exit statuses scripts can rely on.
#include "test_world.h"

#include <kakunin/kiosk/cli.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <qrencode.h>

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
          ("kakunin-cli-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
    write_lists();
  }
  void TearDown() override { fs::remove_all(dir); }

  void write_lists() {
    write(dir / "trustlist.cose", signer::make_trust_list(world.trust_spec, world.list_key));
    write(dir / "revocations.cose", signer::make_revocation_list(world.revocation_spec, world.list_key));
    std::ofstream(dir / "pinned.pem") << world.list_key.public_pem();
  }
  static void write(const fs::path& path, const crypto::Bytes& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }

  CliRun verify(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"verify", "--trust-list", (dir / "trustlist.cose").string(),
                                     "--revocations", (dir / "revocations.cose").string(),
                                     "--pinned-key", (dir / "pinned.pem").string(), "--json"};
    if (std::find(extra.begin(), extra.end(), "--now") == extra.end()) {
      args.insert(args.end(), {"--now", std::to_string(kNow)});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    const int status = kiosk::run_cli(args, out, err);
    return {status, out.str(), err.str()};
  }

  fs::path png_of(const std::string& text, const std::string& name) const {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    const int scale = 4, size = (code->width + 8) * scale;
    cv::Mat image(size, size, CV_8UC1, cv::Scalar(255));
    for (int y = 0; y < code->width; ++y) {
      for (int x = 0; x < code->width; ++x) {
        if (code->data[y * code->width + x] & 1) {
          image(cv::Rect((x + 4) * scale, (y + 4) * scale, scale, scale)).setTo(0);
        }
      }
    }
    const fs::path path = dir / name;
    cv::imwrite(path.string(), image);
    return path;
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
  EXPECT_EQ(line["certificate"]["name"], "見本 太郎");
  EXPECT_EQ(line["certificate"]["insurer_name"], "見本健康保険組合");
  EXPECT_EQ(line["certificate"]["birth_date"], "1980-04-01");
  EXPECT_EQ(line["certificate"]["profile"], "issuer");
  EXPECT_TRUE(run.err.empty());
}

TEST_F(VerifyCommand, RefusesAForgeryWithoutShowingItsContents) {
  const signer::SigningKey forger = signer::SigningKey::generate(Algorithm::es256);
  const auto cose = signer::make_issuer_presentation(world.issuer_presentation(Algorithm::es256), forger);
  const CliRun run = verify({"--text", signer::to_qr_text(cose)});
  EXPECT_EQ(run.status, 1);
  const auto line = run.line();
  EXPECT_EQ(line["verdict"], "unknown_key");
  EXPECT_FALSE(line.contains("certificate"));
  EXPECT_EQ(run.out.find("見本 太郎"), std::string::npos);
}

TEST_F(VerifyCommand, VerifiesEveryQrInAPhotographOfAScreen) {
  const fs::path image = png_of(world.holder_qr(Algorithm::ed25519), "phone.png");
  const CliRun run = verify({image.string()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.line()["input"], image.string());
  EXPECT_EQ(run.line()["certificate"]["profile"], "holder");
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
  EXPECT_EQ(verify({"--text", world.issuer_qr(Algorithm::es256)}).line()["verdict"], "test_material");
  const CliRun test_mode = verify({"--mode", "test", "--text", world.issuer_qr(Algorithm::es256)});
  EXPECT_EQ(test_mode.line()["verdict"], "valid");
  EXPECT_EQ(test_mode.line()["certificate"]["test"], true);
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

}  // namespace
}  // namespace kakunin::testing
