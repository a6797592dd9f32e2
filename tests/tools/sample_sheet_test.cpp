// The printed field-test sheet: read whole or cell by cell by `kakunin verify`,
// every case gives the verdict printed beside it; without the sheet setting the
// codes are stale, and on a production kiosk nothing passes.
#include "sample_fixture.h"
#include "sheet.h"

#include <zlib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace kakunin::sample::testing {
namespace {

using crypto::Verdict;

std::multiset<std::string> as_multiset(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

class SheetTest : public SampleWorldTest {
 protected:
  std::vector<SheetCase> cases() const { return make_sheet_cases(SampleWorld::load(dir), kNow); }

  std::multiset<std::string> expected(bool production) const {
    std::multiset<std::string> names;
    for (const auto& c : cases()) {
      names.insert(
          std::string(crypto::verdict_name(production ? c.expected_in_production : c.expected)));
    }
    return names;
  }

  fs::path make_sheet(const std::string& name) const {
    const fs::path out = dir / name;
    const auto run =
        sample_cli({"sheet", dir.string(), "--out", out.string(), "--at", std::to_string(kNow)});
    EXPECT_EQ(run.status, 0) << run.err;
    return out;
  }
};

TEST_F(SheetTest, CoversEveryCaseTheIssueNames) {
  std::set<std::string> shown;
  std::set<std::string> ids;
  int valid_issuer = 0, valid_holder = 0;
  for (const auto& c : cases()) {
    shown.insert(std::string(crypto::verdict_name(c.expected)));
    ids.insert(c.id);
    valid_issuer += c.id.starts_with("valid_issuer_");
    valid_holder += c.id.starts_with("valid_holder_");
    EXPECT_FALSE(c.title_ja.empty());
    EXPECT_FALSE(c.title_en.empty());
  }
  EXPECT_GE(valid_issuer, 1);
  EXPECT_GE(valid_holder, 1);
  for (const char* verdict : {"valid", "bad_signature", "unknown_key", "wrong_insurer", "revoked",
                              "certificate_expired", "not_jhc1", "malformed", "credential_expired",
                              "key_out_of_period", "bad_holder_signature"}) {
    EXPECT_TRUE(shown.contains(verdict)) << verdict;
  }
  EXPECT_TRUE(ids.contains("test_material"));
}

TEST_F(SheetTest, WholeSheetReadsWithEveryPrintedVerdict) {
  const fs::path png = make_sheet("sheet.png");
  // Read an hour later, as a printed sheet is: the sheet setting skips freshness.
  const auto read = verdicts({png.string()}, {.now = kNow + 3600, .skip_freshness = true});
  EXPECT_EQ(as_multiset(read), expected(false));
  EXPECT_EQ(read.size(), cases().size());
}

TEST_F(SheetTest, EachCellGivesTheVerdictPrintedInIt) {
  TextPainter painter;
  const auto world = SampleWorld::load(dir);
  const auto sheet_cases = make_sheet_cases(world, kNow);
  const Sheet sheet = render_sheet(world, sheet_cases, kNow, painter);
  ASSERT_EQ(sheet.cells.size(), sheet_cases.size());
  for (std::size_t i = 0; i < sheet_cases.size(); ++i) {
    const auto& c = sheet_cases[i];
    ASSERT_EQ(sheet.cells[i].case_id, c.id);
    const fs::path cell = dir / ("cell-" + c.id + ".png");
    ASSERT_TRUE(cv::imwrite(cell.string(), sheet.page(sheet.cells[i].cell)));
    EXPECT_EQ(verdicts({cell.string()}, {.now = kNow + 600, .skip_freshness = true}),
              std::vector<std::string>{std::string(crypto::verdict_name(c.expected))})
        << c.id;
  }
}

TEST_F(SheetTest, WithoutTheSheetSettingEvenValidCodesAreStale) {
  const fs::path png = make_sheet("sheet.png");
  // Two minutes after printing: past the 30 s window, inside a §5.1 exp.
  const auto read = verdicts({png.string()}, {.now = kNow + 120});
  EXPECT_EQ(read.size(), cases().size());
  EXPECT_EQ(std::count(read.begin(), read.end(), "valid"), 0);
  for (const auto& c : cases()) {
    if (c.expected == Verdict::valid) {
      EXPECT_EQ(text_verdict(c.qr_text, {.now = kNow + 120}), "stale") << c.id;
    }
  }
  // An hour later nothing passes either (issuer-signed codes are then past exp).
  const auto later = verdicts({png.string()}, {.now = kNow + 3600});
  EXPECT_EQ(std::count(later.begin(), later.end(), "valid"), 0);
}

TEST_F(SheetTest, NothingOnTheSheetPassesInProduction) {
  const fs::path png = make_sheet("sheet.png");
  const auto read = verdicts({png.string()}, {.mode = "production", .now = kNow + 5});
  EXPECT_EQ(as_multiset(read), expected(true));
  EXPECT_EQ(std::count(read.begin(), read.end(), "valid"), 0);
  // Everything that parses as JHC1 is refused as test material.
  EXPECT_EQ(std::count(read.begin(), read.end(), "test_material"),
            static_cast<long>(read.size()) - 2);
}

TEST_F(SheetTest, StaysCompleteAfterRevokeAndRotate) {
  ASSERT_EQ(
      sample_cli({"revoke", dir.string(), "--member", "hanako", "--at", std::to_string(kNow - 120)})
          .status,
      0);
  ASSERT_EQ(
      sample_cli({"rotate", dir.string(), "--insurer", "138057", "--at", std::to_string(kNow - 60)})
          .status,
      0);
  for (const auto& c : cases()) {
    EXPECT_NE(c.id, "valid_holder_hanako") << "a revoked member cannot be a valid case";
    EXPECT_EQ(text_verdict(c.qr_text, {.now = kNow + 60, .skip_freshness = true}),
              crypto::verdict_name(c.expected))
        << c.id;
  }
  const fs::path png = make_sheet("after.png");
  EXPECT_EQ(as_multiset(verdicts({png.string()}, {.now = kNow + 60, .skip_freshness = true})),
            expected(false));
}

TEST_F(SheetTest, RightAfterARotationTheSheetStillHasEveryVerdict) {
  // The new key's period starts now: no credential can have expired under it yet.
  ASSERT_EQ(
      sample_cli({"rotate", dir.string(), "--insurer", "06139992", "--at", std::to_string(kNow)})
          .status,
      0);
  for (const auto& c : cases()) {
    EXPECT_EQ(text_verdict(c.qr_text, {.now = kNow, .skip_freshness = true}),
              crypto::verdict_name(c.expected))
        << c.id;
  }
}

// The PDF's structure is checked by hand: one page, every xref offset on its
// object, and the page image inflates to the PNG's pixels.
TEST_F(SheetTest, PdfSheetHoldsTheSamePageLosslessly) {
  const fs::path pdf_path = make_sheet("sheet.pdf");
  std::ifstream in(pdf_path, std::ios::binary);
  const std::string pdf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_TRUE(pdf.starts_with("%PDF-1.4\n"));
  ASSERT_TRUE(pdf.ends_with("%%EOF\n"));
  EXPECT_NE(pdf.find("/MediaBox [0 0 595.20 841.92]"), std::string::npos) << "A4 in points";

  const auto startxref = pdf.rfind("startxref\n");
  ASSERT_NE(startxref, std::string::npos);
  const std::size_t xref = std::stoul(pdf.substr(startxref + 10));
  ASSERT_EQ(pdf.compare(xref, 5, "xref\n"), 0);
  std::istringstream table(pdf.substr(xref + 5));
  int first = 0, count = 0;
  table >> first >> count;
  ASSERT_EQ(count, 6);
  std::string offset, generation, kind;
  table >> offset >> generation >> kind;  // the free entry
  for (int object = 1; object < count; ++object) {
    table >> offset >> generation >> kind;
    EXPECT_EQ(pdf.compare(std::stoul(offset), std::to_string(object).size() + 6,
                          std::to_string(object) + " 0 obj"),
              0)
        << "object " << object;
  }

  const auto image = pdf.find("/Subtype /Image");
  ASSERT_NE(image, std::string::npos);
  const auto number_after = [&](const std::string& key) {
    return std::stoul(pdf.substr(pdf.find(key, image) + key.size(), 12));
  };
  const int width = static_cast<int>(number_after("/Width "));
  const int height = static_cast<int>(number_after("/Height "));
  const std::size_t length = number_after("/Length ");
  EXPECT_EQ(width, 2480);
  EXPECT_EQ(height, 3508);
  const std::size_t data = pdf.find(">>\nstream\n", image) + 10;
  ASSERT_LE(data + length, pdf.size());
  cv::Mat rgb(height, width, CV_8UC3);
  uLongf size = static_cast<uLongf>(rgb.total() * 3);
  ASSERT_EQ(uncompress(rgb.data, &size, reinterpret_cast<const Bytef*>(pdf.data() + data), length),
            Z_OK);
  ASSERT_EQ(size, rgb.total() * 3);
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  const fs::path page = dir / "pdf-page.png";
  ASSERT_TRUE(cv::imwrite(page.string(), bgr));
  EXPECT_EQ(as_multiset(verdicts({page.string()}, {.now = kNow + 60, .skip_freshness = true})),
            expected(false));
}

TEST_F(SheetTest, RefusesAnOutputItCannotWrite) {
  const auto jpeg = sample_cli({"sheet", dir.string(), "--out", (dir / "sheet.jpg").string()});
  EXPECT_EQ(jpeg.status, 2);
  EXPECT_NE(jpeg.err.find(".png or .pdf"), std::string::npos) << jpeg.err;
  const auto missing =
      sample_cli({"sheet", dir.string(), "--out", (dir / "no/such/dir/sheet.png").string()});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("kakunin-sample: error:"), std::string::npos) << missing.err;
}

TEST_F(SheetTest, WrapsJapaneseAndEnglishWithinTheWidth) {
  TextPainter painter;
  const TextStyle style{26, false, {}};
  const std::string ja =
      "保険者が発行したものか確認できません（偽造の可能性）。受け付けず、別の方法で資格を確認してく"
      "ださい。";
  const auto lines = painter.wrap(ja, 300, style);
  ASSERT_GE(lines.size(), 3u);
  std::string joined;
  for (const auto& line : lines) {
    EXPECT_LE(painter.width(line, style), 300) << line;
    EXPECT_FALSE(line.starts_with("。") || line.starts_with("、") || line.starts_with("）"))
        << line;
    joined += line;
  }
  EXPECT_EQ(joined, ja);
  const auto en = painter.wrap(
      "Cannot confirm the insurer issued this: the signature does not verify.", 300, style);
  ASSERT_GE(en.size(), 2u);
  for (const auto& line : en) EXPECT_FALSE(line.starts_with(" ") || line.ends_with(" ")) << line;
}

}  // namespace
}  // namespace kakunin::sample::testing
