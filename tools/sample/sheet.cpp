#include "sheet.h"

#include "image_pdf.h"
#include "qr_png.h"

#include <kakunin/base/japan_time.h>
#include <kakunin/ui/catalogue.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace kakunin::sample {
namespace {

using crypto::Profile;
using crypto::UnixSeconds;
using crypto::Verdict;

constexpr std::int64_t kDay = 86400;
// §5.2 allows a credential to span at most 3,456,000 s; a sheet uses all of it so
// its phone-key cases stay valid as long as the spec lets them.
constexpr std::int64_t kSheetCredentialSeconds = 40 * kDay;

[[noreturn]] void fail(const std::string& reason) { throw std::runtime_error(reason); }

std::string issuer_qr(const crypto::Certificate& c, const crypto::Cti& cti, UnixSeconds at,
                      const signer::SigningKey& key) {
  return signer::to_qr_text(signer::make_issuer_presentation({c, at, 300, cti}, key));
}

struct HolderCase {
  UnixSeconds nbf = 0;
  UnixSeconds exp = 0;
};

std::string holder_qr(const SampleWorld& world, const SampleMember& m, UnixSeconds at,
                      HolderCase window, const signer::SigningKey& presenting_key) {
  const auto insurer_key = world.signing_key(world.insurer(m.certificate.insurer_number));
  const auto credential = signer::make_credential(
      {m.certificate, window.nbf, window.nbf, window.exp, m.cti, world.phone_key(m).public_key()},
      insurer_key);
  return signer::to_qr_text(signer::make_holder_presentation(credential, at, presenting_key));
}

HolderCase sheet_credential(const SampleWorld& world, const SampleMember& m, UnixSeconds now) {
  const UnixSeconds nbf = credential_start(world.insurer(m.certificate.insurer_number), now);
  return {nbf, nbf + kSheetCredentialSeconds};
}

// An expired credential whose iat still lies in the key's period; right after a
// rotation no such past exists, and a credential not valid until tomorrow gives
// the same verdict (the kiosk checks nbf and exp alike).
HolderCase expired_credential(const SampleWorld& world, const SampleMember& m, UnixSeconds now) {
  const UnixSeconds key_start = world.insurer(m.certificate.insurer_number).keys.back().not_before;
  const UnixSeconds nbf = std::max(now - 20 * kDay, key_start);
  if (nbf + 120 < now) return {nbf, std::min(nbf + 10 * kDay, now - 60)};
  return {now + kDay, now + 10 * kDay};
}

const SampleMember& first_member_of(const SampleWorld& world, const std::string& insurer_number) {
  for (const auto& m : world.members) {
    if (m.certificate.insurer_number == insurer_number) return m;
  }
  fail("roster.toml has no member of insurer " + insurer_number);
}

// The member the phone-key refusal cases use: the second one (the first has
// most other cases). Revocation does not matter: those verdicts come first.
const SampleMember& holder_case_member(const SampleWorld& world) {
  return world.members.at(std::min<std::size_t>(1, world.members.size() - 1));
}

// A 保険者番号 with a correct check digit that no insurer of the world uses.
std::string unlisted_insurer_number(const SampleWorld& world) {
  for (int base = 613980; base < 613999; ++base) {  // 06: 健保組合 numbers
    for (int digit = 0; digit <= 9; ++digit) {
      std::string number = "0" + std::to_string(base) + std::to_string(digit);
      if (!crypto::is_valid_insurer_number(number)) continue;
      const bool used = std::any_of(world.insurers.begin(), world.insurers.end(),
                                    [&](const SampleInsurer& i) { return i.number == number; });
      if (!used) return number;
    }
  }
  fail("no free insurer number found");
}

const SampleInsurer& insurer_with_retired_key(const SampleWorld& world, UnixSeconds now) {
  for (const auto& insurer : world.insurers) {
    if (insurer.keys.size() >= 2 && insurer.keys[insurer.keys.size() - 2].not_after < now)
      return insurer;
  }
  fail("no insurer has a retired key; run `kakunin-sample rotate DIR --insurer NUMBER` first");
}

}  // namespace

std::vector<SheetCase> make_sheet_cases(const SampleWorld& world, UnixSeconds now) {
  if (world.members.size() < 2 || world.insurers.size() < 2) {
    fail("a sheet needs at least two members and two insurers");
  }
  if (!world.superseded) fail("world.toml has no superseded certificate id for the revoked case");
  const auto insurer_key = [&](const SampleMember& m) {
    return world.signing_key(world.insurer(m.certificate.insurer_number));
  };
  const auto& first = world.members[0];
  std::vector<SheetCase> cases;
  const auto add = [&](std::string id, std::string ja, std::string en, Verdict expected,
                       std::string qr) {
    cases.push_back({std::move(id), std::move(ja), std::move(en), expected, Verdict::test_material,
                     std::move(qr)});
  };

  // Valid: every member not revoked, alternating profiles, so each insurer,
  // both profiles and both algorithms appear.
  for (std::size_t i = 0; i < world.members.size(); ++i) {
    const auto& m = world.members[i];
    if (std::find(world.revoked.begin(), world.revoked.end(), m.cti) != world.revoked.end())
      continue;
    const auto& insurer = world.insurer(m.certificate.insurer_number);
    const std::string alg(crypto::algorithm_name(insurer.algorithm));
    if (i % 2 == 0) {
      add("valid_issuer_" + m.id, "有効：保険者署名（" + m.certificate.name + "・" + alg + "）",
          "Valid: insurer-signed page (" + alg + ")", Verdict::valid,
          issuer_qr(m.certificate, m.cti, now, insurer_key(m)));
    } else {
      add("valid_holder_" + m.id, "有効：スマートフォン鍵（" + m.certificate.name + "）",
          "Valid: phone-key (holder) profile", Verdict::valid,
          holder_qr(world, m, now, sheet_credential(world, m, now), world.phone_key(m)));
    }
  }

  add("test_material", "本番モードの端末で読む", "Read on a production-mode kiosk", Verdict::valid,
      issuer_qr(first.certificate, signer::random_cti(), now,
                insurer_key(first)));  // valid even if `first` is revoked

  {
    const auto& insurer = world.insurer(first.certificate.insurer_number);
    const auto forger = signer::SigningKey::generate(insurer.algorithm);
    signer::Sign1Parts parts{
        signer::protected_header(insurer.algorithm, insurer_key(first).kid()), signer::Cbor::map(),
        signer::issuer_claims({first.certificate, now, 300, first.cti}).encode()};
    add("forged_signature", "偽造された署名", "Forged signature (insurer's key id, another key)",
        Verdict::bad_signature, signer::to_qr_text(signer::sign1(parts, forger)));
  }
  {
    auto certificate = first.certificate;
    certificate.insurer_number = unlisted_insurer_number(world);
    add("unknown_insurer", "信頼リストにない保険者", "Insurer not on the trust list",
        Verdict::unknown_key,
        issuer_qr(certificate, signer::random_cti(), now,
                  signer::SigningKey::generate(crypto::Algorithm::es256)));
  }
  {
    const SampleInsurer* other = nullptr;
    for (const auto& insurer : world.insurers) {
      if (insurer.number != first.certificate.insurer_number) other = &insurer;
    }
    if (!other) fail("world.toml lists no insurer besides " + first.certificate.insurer_number);
    add("other_insurers_key", "他の保険者の鍵で署名", "Signed with another insurer's key",
        Verdict::wrong_insurer,
        issuer_qr(first.certificate, first.cti, now, world.signing_key(*other)));
  }
  {
    const auto& insurer = insurer_with_retired_key(world, now);
    const auto& m = first_member_of(world, insurer.number);
    add("key_out_of_period", "期間外の鍵（更新前の古い鍵）", "Retired key, outside its period",
        Verdict::key_out_of_period,
        issuer_qr(m.certificate, m.cti, now,
                  world.load_key(insurer.keys[insurer.keys.size() - 2].file)));
  }
  {
    const auto& m = holder_case_member(world);
    add("copied_to_another_phone", "別のスマートフォンにコピー",
        "Copied to another phone (wrong phone key)", Verdict::bad_holder_signature,
        holder_qr(world, m, now, sheet_credential(world, m, now),
                  signer::SigningKey::generate(crypto::Algorithm::es256)));
  }
  {
    const auto& m = holder_case_member(world);
    add("credential_expired", "期限切れの資格情報（スマートフォン鍵）", "Phone credential expired",
        Verdict::credential_expired,
        holder_qr(world, m, now, expired_credential(world, m, now), world.phone_key(m)));
  }
  add("revoked", "失効した資格確認書（再発行前のもの）", "Revoked certificate (since reissued)",
      Verdict::revoked, issuer_qr(first.certificate, *world.superseded, now, insurer_key(first)));
  {
    auto certificate = first.certificate;
    certificate.valid_until = crypto::CalendarDate::japan_date_at(now - kDay);
    certificate.issued = crypto::CalendarDate::japan_date_at(now - 366 * kDay);
    add("certificate_expired", "有効期限切れの資格確認書",
        "Certificate out of date (有効期限 passed)", Verdict::certificate_expired,
        issuer_qr(certificate, signer::random_cti(), now, insurer_key(first)));
  }
  cases.push_back({"not_jhc1", "資格確認書ではないQR（URL）", "Not a JHC1 QR (a web address)",
                   Verdict::not_jhc1, Verdict::not_jhc1, "https://example.jp/kakunin-sample"});
  {
    const std::string whole = issuer_qr(first.certificate, first.cti, now, insurer_key(first));
    // Cut mid-way, one character past a Base45 triple: undecodable.
    const std::size_t cut = whole.size() / 2 / 3 * 3 + 1;
    cases.push_back({"malformed", "壊れたQR（途中で切れたデータ）", "Malformed (truncated data)",
                     Verdict::malformed, Verdict::malformed, whole.substr(0, cut)});
  }
  return cases;
}

crypto::CalendarDate sheet_usable_until(const SampleWorld& world, UnixSeconds now) {
  UnixSeconds last = now + kSheetCredentialSeconds - 1;
  std::optional<crypto::CalendarDate> last_certificate_day;
  for (const auto& m : world.members) {
    const auto& insurer = world.insurer(m.certificate.insurer_number);
    if (!insurer.keys.empty()) last = std::min(last, insurer.keys.back().not_after);
    last = std::min(last, sheet_credential(world, m, now).exp - 1);
    if (!last_certificate_day || m.certificate.valid_until < *last_certificate_day) {
      last_certificate_day = m.certificate.valid_until;
    }
  }
  const auto day = crypto::CalendarDate::japan_date_at(last);
  return last_certificate_day ? std::min(day, *last_certificate_day) : day;
}

// ------------------------------------------------------------- drawing ----

namespace {

const cv::Scalar kBlack{0, 0, 0};
const cv::Scalar kGrey{90, 90, 90};
const cv::Scalar kGreen{40, 120, 0};
const cv::Scalar kRed{30, 30, 190};
const cv::Scalar kFrame{170, 170, 170};

constexpr int kPageWidth = 2480;  // A4 at 300 dpi
constexpr int kPageHeight = 3508;
constexpr int kMargin = 100;
constexpr int kColumns = 3;
constexpr int kRows = 5;
constexpr int kHeaderHeight = 470;
constexpr int kFooterHeight = 170;
constexpr int kPadding = 18;

// "2026-11-20 09:00 JST": when the sheet was made, for the people reading it.
std::string japan_time(UnixSeconds t) {
  const base::CivilTime time = base::japan_time_at(t);
  return base::iso_date(time.date()) + " " + base::hh_mm(time) + " JST";
}

// The headline of a kiosk message: what happened, without the instruction.
std::string first_sentence(std::string_view message, std::string_view end) {
  const auto at = message.find(end);
  if (at == std::string_view::npos) return std::string(message);
  return std::string(message.substr(0, at + (end == ". " ? 1 : end.size())));
}

std::string expected_label(const SheetCase& c) {
  if (c.id == "test_material") {
    return "→ " + std::string(crypto::verdict_name(c.expected_in_production)) +
           "（本番 / production）";
  }
  return "→ " + std::string(crypto::verdict_name(c.expected));
}

void draw_cell(cv::Mat& page, const SheetCase& c, std::size_t index, cv::Rect cell,
               TextPainter& painter, SheetCell& placed) {
  cv::rectangle(page, cell, kFrame, 2);
  const QrModules qr = encode_qr(c.qr_text);
  const int qr_space = cell.height - 2 * kPadding;
  // At most 45 % of the cell's width, so the labels beside it stay readable.
  const int qr_side = std::min(qr_space, cell.width * 45 / 100);
  const int module = std::max(2, std::min(4, qr_side / (qr.width + 2 * kQuietZoneModules)));
  const cv::Mat code = render_qr(qr, module);
  const cv::Rect qr_rect(cell.x + kPadding, cell.y + (cell.height - code.rows) / 2, code.cols,
                         code.rows);
  cv::Mat code_bgr;
  cv::cvtColor(code, code_bgr, cv::COLOR_GRAY2BGR);
  code_bgr.copyTo(page(qr_rect));
  placed = {c.id, cell, qr_rect};

  const bool production_case = c.id == "test_material";
  const Verdict shown = production_case ? c.expected_in_production : c.expected;
  const int text_x = qr_rect.x + qr_rect.width + kPadding;
  const int text_width = cell.x + cell.width - kPadding - text_x;
  int y = cell.y + kPadding;
  y += painter.draw_wrapped(page, std::to_string(index + 1) + ". " + c.title_ja, {text_x, y},
                            text_width, {34, true, kBlack}, 3);
  y += painter.draw_wrapped(page, c.title_en, {text_x, y}, text_width, {26, false, kGrey}, 2) + 12;
  y += painter.draw_wrapped(page, expected_label(c), {text_x, y}, text_width,
                            {32, true, shown == Verdict::valid ? kGreen : kRed}, 2) +
       4;
  y += painter.draw_wrapped(
      page, first_sentence(ui::verdict_message(shown, ui::Language::japanese), "。"), {text_x, y},
      text_width, {26, false, kBlack}, 3);
  y += painter.draw_wrapped(page,
                            first_sentence(ui::verdict_message(shown, ui::Language::english), ". "),
                            {text_x, y}, text_width, {24, false, kGrey}, 3);
  if (production_case) {
    painter.draw_wrapped(page, "テストモードでは valid / valid in test mode", {text_x, y + 6},
                         text_width, {24, false, kGreen}, 2);
  }
}

void draw_header(cv::Mat& page, const SampleWorld& world, UnixSeconds now, TextPainter& painter) {
  const int width = kPageWidth - 2 * kMargin;
  int y = kMargin;
  y += painter.draw(page, "見本 SAMPLE — Kakunin 現地テストシート / field-test sheet", {kMargin, y},
                    {64, true, kRed});
  y += 10;
  y += painter.draw_wrapped(
      page,
      "テスト用（TEST material）です。本番モードの端末では、読めるコードはすべて「テスト用の"
      "QRコードです」と表示され、受付には使えません。",
      {kMargin, y}, width, {32, false, kBlack}, 2);
  y += painter.draw_wrapped(
      page,
      "テストモードで freshness.skip_for_printed_sheets = true（印刷物の鮮度確認を省略）に"
      "して読んでください。省略しないと、有効なコードも stale（古いQR）になります。",
      {kMargin, y}, width, {32, false, kBlack}, 2);
  y += painter.draw_wrapped(
      page,
      "Read on a kiosk in test mode with freshness.skip_for_printed_sheets = true "
      "(kakunin verify --mode test --skip-freshness SHEET.png). Without it even the valid "
      "codes are refused as stale; on a production kiosk every code that parses is "
      "refused as test_material.",
      {kMargin, y}, width, {28, false, kGrey}, 3);
  y += 8;
  painter.draw(page,
               "作成 / made " + japan_time(now) + "   ·   リスト番号 / list sequence " +
                   std::to_string(world.sequence) +
                   "   ·   有効なコードの使用期限 / valid codes usable until " +
                   base::iso_date(sheet_usable_until(world, now)),
               {kMargin, y}, {28, true, kBlack});
}

void draw_footer(cv::Mat& page, const SampleWorld& world, TextPainter& painter) {
  const int y = kPageHeight - kMargin - kFooterHeight + 30;
  painter.draw_wrapped(
      page,
      "信頼リスト / trust list: " + (world.dir / "trustlist.cose").string() +
          "   失効リスト / revocations: revocations.cose   署名鍵 / pinned key: "
          "keys/trustlist-signing.pub.pem. The lists are good for 7 days (+ the kiosk's grace): "
          "run `kakunin-sample publish DIR` during longer field tests. The revoked case uses the "
          "world's superseded certificate; the phone-key cases simulate the member's phone.",
      {kMargin, y}, kPageWidth - 2 * kMargin, {24, false, kGrey}, 4);
}

}  // namespace

Sheet render_sheet(const SampleWorld& world, const std::vector<SheetCase>& cases, UnixSeconds now,
                   TextPainter& painter) {
  if (cases.size() > static_cast<std::size_t>(kColumns) * static_cast<std::size_t>(kRows)) {
    fail("too many cases for one page (" + std::to_string(cases.size()) +
         "); the roster has too many members");
  }
  Sheet sheet;
  sheet.page = cv::Mat(kPageHeight, kPageWidth, CV_8UC3, cv::Scalar(255, 255, 255));
  draw_header(sheet.page, world, now, painter);
  const int grid_top = kMargin + kHeaderHeight;
  const int cell_width = (kPageWidth - 2 * kMargin) / kColumns;
  const int cell_height = (kPageHeight - grid_top - kMargin - kFooterHeight) / kRows;
  sheet.cells.resize(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const int column = static_cast<int>(i) % kColumns;
    const int row = static_cast<int>(i) / kColumns;
    const cv::Rect cell(kMargin + column * cell_width, grid_top + row * cell_height, cell_width,
                        cell_height);
    draw_cell(sheet.page, cases[i], i, cell, painter, sheet.cells[i]);
  }
  draw_footer(sheet.page, world, painter);
  return sheet;
}

void write_sheet(const Sheet& sheet, const std::filesystem::path& path) {
  if (path.extension() == ".pdf") {
    write_image_pdf(sheet.page, kSheetDpi, path);
    return;
  }
  if (path.extension() != ".png")
    fail("the sheet is written as .png or .pdf, not " + path.string());
  if (!cv::imwrite(path.string(), sheet.page)) fail("cannot write " + path.string());
}

}  // namespace kakunin::sample
