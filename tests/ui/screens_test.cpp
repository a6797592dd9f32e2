// Every screen drawn offscreen at 1024×768 and 1920×1080, checked the way a
// person would look at it: the words are there, inside the window and their
// boxes, nothing overlaps, no tofu, the card colours say what they should, and
// a refusal never shows anyone's name.
#include "dummy_window.h"
#include "sample_screens.h"
#include "screen_colours.h"

#include <kakunin/ui/line_break.h>
#include <kakunin/ui/screen.h>

#include <SDL.h>
#include <gtest/gtest.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>

namespace kakunin::testing {
namespace {

using ui::DrawLog;
using ui::DrawnPanel;
using ui::Language;
using ui::OffscreenScreen;
using ui::Rgb;
using ui::ScreenKind;
namespace samples = ui::samples;

struct PngImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
  Rgb at(int x, int y) const {
    const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

std::optional<PngImage> read_png(const std::filesystem::path& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) return std::nullopt;
  image.format = PNG_FORMAT_RGB;
  PngImage out{static_cast<int>(image.width), static_cast<int>(image.height), {}};
  out.rgb.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr)) return std::nullopt;
  return out;
}

std::unique_ptr<OffscreenScreen> make_screen(int w, int h) {
  std::string error;
  auto screen = OffscreenScreen::create(w, h, &error);
  EXPECT_TRUE(screen) << error;
  return screen;
}

std::string describe(const ui::Rect& r) {
  return std::to_string(r.x) + "," + std::to_string(r.y) + " " + std::to_string(r.w) + "x" +
         std::to_string(r.h);
}

struct Case {
  int width;
  int height;
  Language language;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << c.width << "x" << c.height << (c.language == Language::english ? " en" : " ja");
}

// Each check looks at every sample screen at one size and language.
class EveryScreen : public ::testing::TestWithParam<Case> {
 protected:
  struct Drawn {
    std::string name;
    DrawLog log;
    std::vector<int> ink;  // per text: pixels nearer its colour than its background
  };

  static int ink_of(const OffscreenScreen& screen, const ui::DrawnText& t) {
    int ink = 0;
    for (int y = t.rect.y; y < t.rect.y + t.rect.h; ++y) {
      for (int x = t.rect.x; x < t.rect.x + t.rect.w; ++x) {
        const Rgb p = screen.pixel(x, y);
        if (distance(p, t.colour) < distance(p, t.background)) ++ink;
      }
    }
    return ink;
  }

  static std::vector<Drawn> draw_all(const Case& c) {
    std::vector<Drawn> out;
    auto screen = make_screen(c.width, c.height);
    if (!screen) return out;
    const frame::Frame frame = samples::sample_frame();
    const frame::FrameView view = frame.view();
    for (const samples::SampleScreen& sample : samples::sample_screens(c.language)) {
      Drawn d{sample.name, screen->draw(sample.model, sample.with_preview ? &view : nullptr), {}};
      for (const ui::DrawnText& t : d.log.texts) d.ink.push_back(ink_of(*screen, t));
      out.push_back(std::move(d));
    }
    return out;
  }

  void SetUp() override {
    drawn = draw_all(GetParam());
    ASSERT_FALSE(drawn.empty());
  }
  std::vector<Drawn> drawn;
};

TEST_P(EveryScreen, TextFitsInsideItsBoxAndTheWindow) {
  for (const Drawn& d : drawn) {
    SCOPED_TRACE(d.name);
    const ui::Rect window{0, 0, d.log.width, d.log.height};
    ASSERT_FALSE(d.log.texts.empty());
    for (const ui::DrawnText& t : d.log.texts) {
      EXPECT_TRUE(t.box.inside(window)) << t.text << " box " << describe(t.box);
      EXPECT_TRUE(t.rect.inside(t.box)) << t.text << " drawn " << describe(t.rect);
      EXPECT_FALSE(t.shrunk_to_minimum) << t.text << " does not fit " << describe(t.box);
      EXPECT_GE(t.pixel_size, 12) << t.text << " is too small to read in " << describe(t.box);
    }
  }
}

TEST_P(EveryScreen, LinesBreakWhereAReaderExpects) {
  // 禁則処理: no line starts with closing punctuation; English breaks between words.
  for (const Drawn& d : drawn) {
    SCOPED_TRACE(d.name);
    for (const ui::DrawnText& t : d.log.texts) {
      std::string joined;
      for (std::size_t i = 0; i < t.lines.size(); ++i) {
        const std::string& line = t.lines[i];
        ASSERT_FALSE(line.empty()) << t.text;
        for (const char* closing : {"、", "。", "）", "」", "・", "…", ",", ".", ")"}) {
          if (i > 0) {
            EXPECT_NE(line.rfind(closing, 0), 0u) << t.text << " line " << i << ": " << line;
          }
        }
        EXPECT_NE(line.front(), ' ') << t.text;
        EXPECT_NE(line.back(), ' ') << t.text;
        joined += line;
      }
      std::string without_spaces = t.text;
      std::erase(without_spaces, ' ');
      std::erase(joined, ' ');
      EXPECT_EQ(joined, without_spaces) << "no character lost in breaking";
    }
  }
}

TEST_P(EveryScreen, NoLineBreaksInsideAWordOfTheCataloguesList) {
  for (const Drawn& d : drawn) {
    SCOPED_TRACE(d.name);
    for (const ui::DrawnText& t : d.log.texts) {
      if (t.lines.size() < 2) continue;
      for (std::string_view word : ui::unbreakable_words()) {
        std::size_t in_text = 0;
        for (std::size_t at = t.text.find(word); at != std::string::npos;
             at = t.text.find(word, at + 1)) {
          ++in_text;
        }
        std::size_t in_lines = 0;
        for (const std::string& line : t.lines) {
          for (std::size_t at = line.find(word); at != std::string::npos;
               at = line.find(word, at + 1)) {
            ++in_lines;
          }
        }
        EXPECT_EQ(in_lines, in_text) << word << " broken in: " << t.text;
      }
    }
  }
}

TEST_P(EveryScreen, TextBoxesAndButtonsDoNotOverlap) {
  for (const Drawn& d : drawn) {
    SCOPED_TRACE(d.name);
    const auto& texts = d.log.texts;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      for (std::size_t j = i + 1; j < texts.size(); ++j) {
        EXPECT_FALSE(texts[i].rect.overlaps(texts[j].rect))
            << texts[i].text << " / " << texts[j].text;
      }
    }
    const auto& buttons = d.log.buttons;
    for (std::size_t i = 0; i < buttons.size(); ++i) {
      EXPECT_TRUE(buttons[i].rect.inside({0, 0, d.log.width, d.log.height}));
      for (std::size_t j = i + 1; j < buttons.size(); ++j) {
        EXPECT_FALSE(buttons[i].rect.overlaps(buttons[j].rect));
      }
    }
  }
}

TEST_P(EveryScreen, JapaneseGlyphsRenderWithoutTofu) {
  for (const Drawn& d : drawn) {
    SCOPED_TRACE(d.name);
    EXPECT_TRUE(d.log.missing_glyphs.empty())
        << "first missing U+" << std::hex
        << (d.log.missing_glyphs.empty() ? 0u : static_cast<unsigned>(d.log.missing_glyphs[0]));
    for (std::size_t i = 0; i < d.log.texts.size(); ++i) {
      const ui::DrawnText& t = d.log.texts[i];
      EXPECT_GT(d.ink[i], t.rect.w * t.rect.h / 50) << t.text << " looks empty";
    }
  }
}

TEST_P(EveryScreen, VerdictIconIsAtLeastAFifthOfTheScreenHigh) {
  // Read from arm's length: the verdict's icon, on every screen that has one.
  for (const Drawn& d : drawn) {
    SCOPED_TRACE(d.name);
    const bool verdict_screen =
        d.log.screen == ScreenKind::valid || d.log.screen == ScreenKind::refused ||
        d.log.screen == ScreenKind::camera_offline || d.log.screen == ScreenKind::no_trust_list;
    if (!verdict_screen) continue;
    int tallest = 0;
    for (const ui::DrawnIcon& icon : d.log.icons) {
      if (icon.icon != ui::Icon::warning_triangle) tallest = std::max(tallest, icon.rect.h);
    }
    EXPECT_GE(tallest * 5, d.log.height) << "icon " << tallest << " px";
  }
}

INSTANTIATE_TEST_SUITE_P(AtBothSizes, EveryScreen,
                         ::testing::Values(Case{1024, 768, Language::japanese},
                                           Case{1920, 1080, Language::japanese},
                                           Case{1024, 768, Language::english},
                                           Case{1920, 1080, Language::english}),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                           const Case& c = param_info.param;
                           return std::string(c.language == Language::english ? "en_" : "ja_") +
                                  std::to_string(c.width) + "x" + std::to_string(c.height);
                         });

// ------------------------------------------------------- specific screens --

class Screens : public ::testing::Test {
 protected:
  const DrawLog& draw(const ui::ScreenModel& model, bool preview = false) {
    if (!screen) screen = make_screen(1024, 768);
    camera_frame = samples::sample_frame();
    const frame::FrameView view = camera_frame.view();
    log = screen->draw(model, preview ? &view : nullptr);
    return log;
  }
  static samples::SampleScreen named(const std::string& name,
                                     Language language = Language::japanese) {
    for (const samples::SampleScreen& s : samples::sample_screens(language)) {
      if (s.name == name) return s;
    }
    ADD_FAILURE() << "no sample " << name;
    return {};
  }
  const DrawnPanel* panel(DrawnPanel::Role role) const {
    for (const DrawnPanel& p : log.panels) {
      if (p.role == role) return &p;
    }
    return nullptr;
  }
  Rgb sample_inside(const ui::Rect& r) const {  // a background pixel near the corner
    return screen->pixel(r.x + 3, r.y + r.h - 3);
  }
  bool has_icon(ui::Icon icon) const {
    for (const ui::DrawnIcon& i : log.icons) {
      if (i.icon == icon) return true;
    }
    return false;
  }

  std::unique_ptr<OffscreenScreen> screen;
  frame::Frame camera_frame;
  DrawLog log;
};

TEST_F(Screens, ValidCardIsGreenWithACheckMarkAndWords) {
  draw(named("valid").model);
  const DrawnPanel* card = panel(DrawnPanel::Role::card);
  ASSERT_NE(card, nullptr);
  EXPECT_TRUE(is_green(sample_inside(card->rect)));
  const DrawnPanel* header = panel(DrawnPanel::Role::card_header);
  ASSERT_NE(header, nullptr);
  EXPECT_TRUE(is_green(sample_inside(header->rect)));
  EXPECT_TRUE(has_icon(ui::Icon::check));
  EXPECT_TRUE(log.find_text("資格を確認できました"));
}

TEST_F(Screens, ValidCardShowsWhatStaffTranscribe) {
  draw(named("valid").model);
  EXPECT_TRUE(log.find_text("見本 太郎"));
  EXPECT_TRUE(log.shows("ミホン タロウ"));
  EXPECT_TRUE(log.find_text("昭和60年4月1日 (1985-04-01)　41歳"));
  EXPECT_TRUE(log.find_text("男"));
  EXPECT_TRUE(log.find_text("本人"));
  EXPECT_TRUE(log.find_text("06139993"));
  EXPECT_TRUE(log.find_text("見本健康保険組合"));
  EXPECT_TRUE(log.find_text("3割"));
  EXPECT_TRUE(log.find_text("令和12年12月1日 (2030-12-01)"));
  EXPECT_TRUE(log.find_text("職権交付"));
  EXPECT_TRUE(log.find_text("確認 10:42:05・QR表示から3秒"));
  for (const char* number : {"12345", "6789012", "01"}) {
    const ui::DrawnText* t = log.find_text(number);
    ASSERT_NE(t, nullptr) << number;
    EXPECT_EQ(t->face, ui::Face::mono_bold) << number << " in monospaced digits";
  }
  const ui::DrawnText* name = log.find_text("見本 太郎");
  const ui::DrawnText* kana = log.find_text("ミホン タロウ");
  ASSERT_TRUE(name && kana);
  EXPECT_GT(name->pixel_size, kana->pixel_size);
  EXPECT_FALSE(log.shows("参考")) << "no hint when the ratio fits the age";
  EXPECT_FALSE(log.shows(ui::text(ui::Text::label_limit, Language::japanese)))
      << "no 限度額 field for a certificate without one";
}

TEST_F(Screens, RatioThatDoesNotFitTheAgeGetsAQuietHint) {
  draw(named("valid-test-mode-hint").model);
  EXPECT_TRUE(log.shows("参考：この年齢では通常2割か3割です"));
  const ui::DrawnText* ratio = log.find_text("1割");
  const ui::DrawnText* hint = log.find_text("参考：この年齢では通常2割か3割です。記載が優先です");
  ASSERT_TRUE(ratio && hint);
  EXPECT_GE(hint->rect.y, ratio->rect.y + ratio->rect.h) << "the hint is under the ratio";
  EXPECT_LE(hint->rect.x, ratio->rect.x + ratio->rect.w) << "directly under it";
  EXPECT_TRUE(log.find_text("家族"));
  EXPECT_TRUE(log.find_text("申請交付"));
  EXPECT_TRUE(log.shows("テスト用の資格確認書です"));
  EXPECT_TRUE(log.shows("✓ レセコンへ送信済み"));
}

TEST_F(Screens, ValidCardSaysWhatBecameOfTheHandOffAndTheKioskHealthIsOnTheStatusPage) {
  draw(named("valid-handoff-failed-audit-delayed").model);
  EXPECT_TRUE(log.shows("× レセコンへ送信できませんでした。手入力してください"));
  EXPECT_FALSE(log.shows("送信済み"));
  EXPECT_TRUE(log.shows("確認結果の記録が遅れています"));
  EXPECT_TRUE(log.shows("レセコンの送信先 xml が応答しません"));
  samples::SampleScreen sending = named("valid");
  sending.model.valid->handoff = ui::HandoffDisplay::sending;
  draw(sending.model);
  EXPECT_TRUE(log.shows("レセコンへ送信中"));
  EXPECT_FALSE(log.shows("送信済み")) << "never sent before it was";
  draw(named("status-audit-delayed-share-stuck").model);
  EXPECT_TRUE(log.shows("遅れています・12件を端末に保存済み"));
  EXPECT_TRUE(log.shows("送信待ち 4件"));
  EXPECT_TRUE(log.shows("xml の送信先が応答しません"));
}

TEST_F(Screens, StatusPageCountsTheOnlineCheckOnlyWhileItIsOn) {
  samples::SampleScreen status = named("status-audit-delayed-share-stuck");
  draw(status.model);
  EXPECT_FALSE(log.shows("オンライン資格確認")) << "no row for a check the kiosk does not make";
  ui::HealthInfo& h = status.model.status.health;
  h.online_enabled = true;
  h.online_asked = 12;
  h.online_answered = 9;
  h.online_timed_out = 2;
  h.online_refused_files = 1;
  draw(status.model);
  EXPECT_TRUE(log.shows("オンライン資格確認"));
  EXPECT_TRUE(log.shows("照会 12件・回答 9件"));
  EXPECT_TRUE(log.shows("応答なし 2件"));
  EXPECT_TRUE(log.shows("受け取らなかった回答ファイル 1件"));
}

TEST_F(Screens, LongNameShrinksButStaysInItsBox) {
  samples::SampleScreen s = named("valid");
  s.model.valid->presentation.certificate.name =
      "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処";
  draw(s.model);
  const ui::DrawnText* name = log.find_text(s.model.valid->presentation.certificate.name);
  ASSERT_NE(name, nullptr);
  EXPECT_TRUE(name->rect.inside(name->box));
  EXPECT_FALSE(name->shrunk_to_minimum);
  const int long_size = name->pixel_size;
  const DrawLog short_log = draw(named("valid").model);
  EXPECT_LT(long_size, short_log.find_text("見本 太郎")->pixel_size);
}

TEST_F(Screens, ForgeryIsARedStopWithAnOctagonAndAnotherWayToCheck) {
  draw(named("refused-stop-bad-signature").model);
  const DrawnPanel* card = panel(DrawnPanel::Role::card);
  ASSERT_NE(card, nullptr);
  EXPECT_TRUE(is_red(sample_inside(card->rect)));
  EXPECT_TRUE(has_icon(ui::Icon::stop));
  EXPECT_TRUE(log.find_text("このQRでは資格を確認できません"));
  EXPECT_TRUE(log.shows("別の方法で資格を確認してください"));
  EXPECT_TRUE(log.shows("偽造の可能性があります"));
  EXPECT_TRUE(log.find_text("理由コード: bad_signature"));
}

TEST_F(Screens, StaleQrIsAnAmberRetryWhoseHeadlineIsWhatToDo) {
  draw(named("refused-retry-stale").model);
  EXPECT_TRUE(is_amber(sample_inside(panel(DrawnPanel::Role::card)->rect)));
  EXPECT_TRUE(has_icon(ui::Icon::retry));
  const ui::VerdictWording w = ui::verdict_wording(crypto::Verdict::stale, Language::japanese);
  const ui::DrawnText* headline = log.find_text(w.headline);
  const ui::DrawnText* reason = log.find_text(w.reason);
  ASSERT_TRUE(headline && reason);
  EXPECT_EQ(std::string(w.headline), "画面を更新して、もう一度かざしてください");
  EXPECT_LT(headline->rect.y, reason->rect.y) << "the action is read first";
  for (const ui::DrawnText& t : log.texts) {
    if (t.box.inside(panel(DrawnPanel::Role::card)->rect)) {
      EXPECT_LE(t.pixel_size, headline->pixel_size) << t.text << " is larger than the headline";
    }
  }
  EXPECT_TRUE(log.find_text("理由コード: stale")) << "the machine code stays, for the vendor";
}

TEST_F(Screens, KioskFaultIsASquareOnSlateThatSendsStaffToTheAdministrator) {
  draw(named("refused-terminal-test-material").model);
  EXPECT_TRUE(has_icon(ui::Icon::kiosk_fault));
  EXPECT_TRUE(log.find_text("この端末では現在確認できません"));
  EXPECT_TRUE(log.shows("管理者に連絡してください"));
  draw(named("no-trust-list").model);
  EXPECT_TRUE(has_icon(ui::Icon::kiosk_fault));
  EXPECT_TRUE(log.find_text("この端末では現在確認できません"));
}

TEST_F(Screens, NoRefusalSuggestsThePatientIsNotSeen) {
  for (Language language : {Language::japanese, Language::english}) {
    for (int i = 0; i < crypto::kVerdictCount; ++i) {
      const auto verdict = static_cast<crypto::Verdict>(i);
      if (verdict == crypto::Verdict::valid) continue;
      samples::SampleScreen s = named("refused-retry-stale", language);
      s.model.refused = ui::RefusedResult{verdict};
      draw(s.model);
      SCOPED_TRACE(crypto::verdict_name(verdict));
      for (const char* turned_away : {"受け付け", "受付でき", "Not accepted", "Do not accept"}) {
        EXPECT_FALSE(log.shows(turned_away)) << turned_away;
      }
      if (ui::verdict_tier(verdict) != ui::VerdictTier::retry) {
        EXPECT_TRUE(log.shows(language == Language::japanese ? "別の方法で" : "another way"));
      }
    }
  }
}

TEST_F(Screens, WhileTheClockIsInDoubtATimingRefusalBlamesTheKioskClockNotThePatient) {
  draw(named("refused-retry-clock-in-doubt").model);
  EXPECT_TRUE(log.shows("この端末の時計がずれている可能性があります"));
  samples::SampleScreen stale = named("refused-retry-stale");
  stale.model.warnings = {ui::Warning::clock_unsynchronised};
  draw(stale.model);
  EXPECT_TRUE(log.shows("この端末の時計がずれている可能性があります"));
  draw(named("refused-retry-stale").model);
  EXPECT_FALSE(log.shows("この端末の時計がずれている")) << "only while the warning is up";
  samples::SampleScreen forged = named("refused-stop-bad-signature");
  forged.model.warnings = {ui::Warning::clock_unsynchronised};
  draw(forged.model);
  EXPECT_FALSE(log.shows("この端末の時計がずれている可能性があります"))
      << "a bad signature is not the clock's doing";
}

TEST_F(Screens, EachTierDiffersFromTheOthersInGreyscaleAndInShape) {
  struct Tier {
    const char* sample;
    int luma = 0;
    Rgb deuteranope{};
    ui::Icon icon = ui::Icon::check;
  };
  std::vector<Tier> tiers{{"valid"},
                          {"refused-retry-stale"},
                          {"refused-stop-bad-signature"},
                          {"refused-terminal-test-material"}};
  for (Tier& t : tiers) {
    draw(named(t.sample).model);
    const DrawnPanel* card = panel(DrawnPanel::Role::card);
    ASSERT_NE(card, nullptr) << t.sample;
    // The body's far corner: the valid card has its verdict band down the left.
    const Rgb body =
        screen->pixel(card->rect.x + card->rect.w - 3, card->rect.y + card->rect.h - 3);
    t.luma = luma(body);
    t.deuteranope = as_deuteranope_sees(body);
    ASSERT_FALSE(log.icons.empty()) << t.sample;
    t.icon = log.icons.front().icon;
  }
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    for (std::size_t j = i + 1; j < tiers.size(); ++j) {
      EXPECT_GE(std::abs(tiers[i].luma - tiers[j].luma), 30)
          << tiers[i].sample << " and " << tiers[j].sample << " look alike in greyscale";
      EXPECT_GE(distance(tiers[i].deuteranope, tiers[j].deuteranope), 60)
          << tiers[i].sample << " and " << tiers[j].sample << " look alike to a deuteranope";
      EXPECT_NE(tiers[i].icon, tiers[j].icon) << tiers[i].sample << " / " << tiers[j].sample;
    }
  }
}

TEST_F(Screens, LocatedQrOutlineIsNotGreenBeforeAVerdict) {
  samples::SampleScreen s = named("reading");
  draw(s.model, true);
  ASSERT_TRUE(log.qr_outline.has_value());
  EXPECT_FALSE(is_green(*log.qr_outline));
}

TEST_F(Screens, NumbersStaffCopyAndTheRatioGetTheLargestTypeOnTheCard) {
  draw(named("valid-with-limit").model);
  const crypto::Certificate c = named("valid").model.valid->presentation.certificate;
  int smallest_copied = 1 << 20;
  for (const std::string& copied :
       {c.insurer_number, *c.symbol, c.number, c.branch, std::string("3割")}) {
    const ui::DrawnText* t = log.find_text(copied);
    ASSERT_NE(t, nullptr) << copied;
    smallest_copied = std::min(smallest_copied, t->pixel_size);
  }
  for (const char* other :
       {"見本 太郎", "男", "本人", "令和12年12月1日 (2030-12-01)", "区分ウ", "職権交付"}) {
    const ui::DrawnText* t = log.find_text(other);
    ASSERT_NE(t, nullptr) << other;
    EXPECT_LT(t->pixel_size, smallest_copied) << other;
  }
  // One label size everywhere.
  std::optional<int> label_size;
  for (ui::Text label : {ui::Text::label_name, ui::Text::label_insurer, ui::Text::label_symbol,
                         ui::Text::label_ratio, ui::Text::label_limit, ui::Text::label_category}) {
    const ui::DrawnText* t = log.find_text(ui::text(label, Language::japanese));
    ASSERT_NE(t, nullptr);
    if (!label_size) label_size = t->pixel_size;
    EXPECT_EQ(t->pixel_size, *label_size) << t->text;
  }
  EXPECT_TRUE(log.find_text(ui::text(ui::Text::label_limit, Language::japanese)));
}

TEST_F(Screens, RefusedScreenNeverShowsPersonalData) {
  // Even a model that wrongly carries a certificate beside a refusal shows none of it.
  samples::SampleScreen s = named("refused-retry-stale");
  s.model.valid = ui::ValidResult{samples::sample_presentation(), samples::kSampleNow,
                                  ui::HandoffDisplay::not_sent};
  draw(s.model);
  for (const char* personal :
       {"見本", "ミホン", "1985", "昭和60", "06139993", "6789012", "12345"}) {
    EXPECT_FALSE(log.shows(personal)) << personal;
  }
  EXPECT_EQ(panel(DrawnPanel::Role::card)->colour, (Rgb{0xFF, 0xB3, 0x00})) << "the retry card";
}

TEST_F(Screens, WarningsAreAmberWithATriangleAndStayOverResults) {
  samples::SampleScreen s = named("valid");
  s.model.warnings = {ui::Warning::trust_list_stale, ui::Warning::clock_unsynchronised};
  draw(s.model);
  int strips = 0;
  for (const DrawnPanel& p : log.panels) {
    if (p.role != DrawnPanel::Role::warning) continue;
    ++strips;
    EXPECT_TRUE(is_amber(sample_inside(p.rect)));
  }
  EXPECT_EQ(strips, 2);
  EXPECT_TRUE(has_icon(ui::Icon::warning_triangle));
  EXPECT_TRUE(log.shows("信頼リストの更新期限を過ぎています"));
  EXPECT_TRUE(log.shows("時計が合っていない"));
  EXPECT_TRUE(log.find_text("見本 太郎")) << "the result is still readable";
}

TEST_F(Screens, EveryWarningAtOnceStillLeavesTheCardReadable) {
  samples::SampleScreen s = named("valid-test-mode-hint");
  s.model.warnings = {ui::Warning::test_mode, ui::Warning::freshness_skipped,
                      ui::Warning::trust_list_stale, ui::Warning::clock_unsynchronised};
  draw(s.model);
  for (std::size_t i = 0; i < log.texts.size(); ++i) {
    EXPECT_FALSE(log.texts[i].shrunk_to_minimum) << log.texts[i].text;
    for (std::size_t j = i + 1; j < log.texts.size(); ++j) {
      EXPECT_FALSE(log.texts[i].rect.overlaps(log.texts[j].rect));
    }
  }
  EXPECT_GE(log.find_text("見本 花子")->pixel_size, 24) << "the name stays large";
}

TEST_F(Screens, GrayFramesAndBadFramesAreDrawnSafely) {
  samples::SampleScreen s = named("idle");
  std::vector<std::uint8_t> gray(std::size_t{320} * 240, 0x80);
  const frame::FrameView gray_view{gray.data(), 320, 240, 320, frame::FrameView::Format::gray8};
  s.model.qr_corners = {{-50, -50}, {400, -50}, {400, 300}, {-50, 300}};  // off the image
  if (!screen) screen = make_screen(1024, 768);
  log = screen->draw(s.model, &gray_view);
  const DrawnPanel* preview = panel(DrawnPanel::Role::preview);
  ASSERT_NE(preview, nullptr);
  const Rgb centre = screen->pixel(preview->rect.x + preview->rect.w / 2, preview->rect.y + 8);
  EXPECT_EQ(centre, (Rgb{0x80, 0x80, 0x80})) << "gray frames show in gray";
  EXPECT_FALSE(is_green(screen->pixel(preview->rect.x - 4, preview->rect.y + preview->rect.h / 2)))
      << "the outline stays on the preview";
  const frame::FrameView broken{gray.data(), 320, 240, 10, frame::FrameView::Format::bgr24};
  log = screen->draw(s.model, &broken);  // stride too small: drawn as "no frame"
  EXPECT_TRUE(log.find_text("カメラの映像を待っています"));
}

TEST_F(Screens, TestModeBannerIsOnEveryScreen) {
  for (samples::SampleScreen s : samples::sample_screens(Language::japanese)) {
    s.model.test_mode = true;
    s.model.warnings.insert(s.model.warnings.begin(), ui::Warning::test_mode);
    draw(s.model, s.with_preview);
    EXPECT_TRUE(log.find_text("テストモード — 実際の受付には使えません")) << s.name;
    const DrawnPanel* banner = panel(DrawnPanel::Role::banner);
    ASSERT_NE(banner, nullptr) << s.name;
    EXPECT_TRUE(is_amber(sample_inside(banner->rect))) << s.name;
    EXPECT_EQ(banner->rect.y, 0) << "at the very top";
  }
}

TEST_F(Screens, FreshnessSkippedIsSaidOnScreen) {
  draw(named("idle-test-mode").model, true);
  EXPECT_TRUE(log.shows("鮮度確認を省略"));
}

TEST_F(Screens, IdleShowsThePreviewGuideInstructionAndClock) {
  draw(named("idle").model, true);
  EXPECT_TRUE(log.find_text("資格確認書のQRコードをカメラにかざしてください"));
  EXPECT_TRUE(log.find_text("10:42"));
  EXPECT_TRUE(log.shows("令和8年11月25日"));
  const DrawnPanel* preview = panel(DrawnPanel::Role::preview);
  ASSERT_NE(preview, nullptr);
  // The desk colour of the sample frame (BGR 6A 74 7A) shows in the preview's corner.
  EXPECT_LT(
      distance(screen->pixel(preview->rect.x + 4, preview->rect.y + 4), Rgb{0x7A, 0x74, 0x6A}), 12);
  // The QR's outline is drawn around the detected symbol, not in green: no
  // verdict exists yet.
  const auto& corners = named("idle").model.qr_corners;
  ASSERT_EQ(corners.size(), 4u);
  const double scale = static_cast<double>(preview->rect.w) / 1280;
  const int ox = preview->rect.x + static_cast<int>(corners[0].first * scale);
  const int oy =
      preview->rect.y + static_cast<int>((corners[0].second + corners[3].second) / 2.0 * scale);
  ASSERT_TRUE(log.qr_outline);
  EXPECT_LT(distance(screen->pixel(ox, oy), *log.qr_outline), 30);
  EXPECT_FALSE(is_green(screen->pixel(ox, oy)));
}

// Texts are rasterised once and kept while shown: a screen whose clock moved on
// must look exactly like one drawn afresh at the new time, never keep the old.
TEST_F(Screens, AClockThatMovesOnIsDrawnAsIfTheScreenWereNew) {
  ui::ScreenModel model = named("valid").model;
  draw(model);
  model.now += 60;  // the header clock shows the next minute
  model.status.kiosk_id = "desk-2";
  draw(model);
  auto fresh = make_screen(1024, 768);
  fresh->draw(model, nullptr);
  int differing = 0;
  for (int y = 0; y < 768; y += 2) {
    for (int x = 0; x < 1024; x += 2) differing += screen->pixel(x, y) != fresh->pixel(x, y);
  }
  EXPECT_EQ(differing, 0);
  EXPECT_TRUE(log.find_text(ui::format_clock(model.now, false)));
}

TEST_F(Screens, IdleWithoutFramesSaysItIsWaitingForTheCamera) {
  samples::SampleScreen s = named("idle");
  s.model.camera = frame::SourceState::starting;
  draw(s.model, false);
  EXPECT_TRUE(log.find_text("カメラの映像を待っています"));
}

TEST_F(Screens, StatusPageSaysOfflineForAVideoAtItsEnd) {
  samples::SampleScreen s = named("status");
  s.model.camera = frame::SourceState::ended;
  draw(s.model);
  EXPECT_TRUE(log.find_text("未接続"));
  EXPECT_FALSE(log.shows("動作中"));
}

TEST_F(Screens, StatusPageSaysNotSynchronisedForAClockAwayFromTheServer) {
  samples::SampleScreen s = named("status");
  s.model.status.clock = base::ClockState::offset_too_large;
  s.model.status.facts.clock.offset_seconds = 47;
  draw(s.model);
  EXPECT_TRUE(log.shows("同期されていません・lists.example.jpとの差 +47秒"));
  s.model.status.clock = base::ClockState::unknown;
  s.model.status.facts.clock = {};
  draw(s.model);
  EXPECT_TRUE(log.shows("未確認・同期サーバーとの差は未測定"));
}

TEST_F(Screens, CameraOfflineAndNoTrustListScreensExplainThemselves) {
  draw(named("camera-offline").model);
  EXPECT_TRUE(log.find_text("カメラが接続されていません"));
  EXPECT_TRUE(has_icon(ui::Icon::kiosk_fault));
  EXPECT_TRUE(log.shows("ケーブルを確認してください"));
  draw(named("no-trust-list").model);
  EXPECT_TRUE(log.find_text(
      ui::verdict_wording(crypto::Verdict::no_trust_list, Language::japanese).reason));
  EXPECT_TRUE(log.find_text("理由コード: no_trust_list"));
}

TEST_F(Screens, StatusPageShowsListsClockCameraAndCountsButNoPersonalData) {
  samples::SampleScreen s = named("status");
  s.model.valid = ui::ValidResult{samples::sample_presentation(), samples::kSampleNow,
                                  ui::HandoffDisplay::not_sent};
  draw(s.model);
  EXPECT_TRUE(log.shows("kakunin-1・バージョン 0.1.0"));
  EXPECT_TRUE(log.shows("第42版・5時間前に発行"));
  EXPECT_TRUE(log.shows("第1207版・40分前に発行"));
  EXPECT_TRUE(log.shows("同期済み"));
  EXPECT_TRUE(log.find_text("動作中 30.0 fps"));
  EXPECT_TRUE(log.shows("有効 41"));
  EXPECT_TRUE(log.shows("QRが古いです 3"));
  EXPECT_FALSE(log.shows("見本"));
}

// ---------------------------------------- the status page's rows and marks --

// On the status page's card (not the test-mode banner's triangle).
int count_icons(const DrawLog& log, ui::Icon icon) {
  const auto card = std::find_if(log.panels.begin(), log.panels.end(), [](const DrawnPanel& p) {
    return p.role == DrawnPanel::Role::card;
  });
  if (card == log.panels.end()) return 0;
  return static_cast<int>(std::count_if(
      log.icons.begin(), log.icons.end(),
      [&](const ui::DrawnIcon& i) { return i.icon == icon && i.rect.inside(card->rect); }));
}

int count_texts(const DrawLog& log, std::string_view exact) {
  return static_cast<int>(
      std::count_if(log.texts.begin(), log.texts.end(),
                    [exact](const ui::DrawnText& t) { return t.text == exact; }));
}

TEST_F(Screens, HealthyStatusPageMarksEveryCheckedRowWithACheckAndTheWord) {
  draw(named("status").model);
  // mode, both lists, sync, clock, camera, audit, hand-off: shape and word each
  EXPECT_EQ(count_icons(log, ui::Icon::check), 8);
  EXPECT_EQ(count_texts(log, "正常"), 8);
  EXPECT_EQ(count_icons(log, ui::Icon::warning_triangle), 0);
  EXPECT_EQ(count_icons(log, ui::Icon::stop), 0);
  EXPECT_TRUE(log.shows("lists.example.jpとの差 -1秒・NTP同期中")) << "the offset and its source";
  EXPECT_TRUE(log.shows("2026-11-25 10:40・信頼リスト 変更なし・失効リスト 更新"));
  EXPECT_TRUE(log.shows("確認停止 2026-12-03 05:42")) << "next_update + the 7-day grace";
  EXPECT_TRUE(log.shows("最終送信 2026-11-25 10:38"));
}

TEST_F(Screens, StatusPageWithEveryFaultNamesEachFactAndMarksItWithShapeAndWord) {
  draw(named("status-every-fault").model);
  EXPECT_EQ(count_icons(log, ui::Icon::check), 0) << "nothing here is healthy";
  EXPECT_EQ(count_icons(log, ui::Icon::warning_triangle), count_texts(log, "注意"));
  EXPECT_EQ(count_icons(log, ui::Icon::stop), count_texts(log, "異常"));
  EXPECT_EQ(count_texts(log, "注意") + count_texts(log, "異常"), 9);
  for (const char* fact :
       {"テスト・QRの鮮度確認を省略中",
        "確認停止 2026-11-23 10:42",  // the revocation list: past it, 異常
        "古い版に戻されていた", "信頼リスト 失敗・失効リスト 不採用",
        "原因 trust list download from https…", "HTTP status 503 (after 5 attempts)",
        "lists.example.jpとの差 +47秒・NTP未同期", "未接続・原因 no such device /dev/video0",
        "記録できていません", "xml の送信先が応答しません", "直前の失敗 post: HTTP 500",
        "最終送信 2026-11-25 09:55", "照会 1204件・回答 1187件", "応答なし 14件",
        "受け取らなかった回答ファイル 2件", "照会を書けなかった 1件",
        "本日の件数"}) {  // the last row still on the page with the online check's added
    EXPECT_TRUE(log.shows(fact)) << fact;
  }
  EXPECT_EQ(log.panels.end(),
            std::find_if(log.panels.begin(), log.panels.end(),
                         [](const DrawnPanel& p) { return p.role == DrawnPanel::Role::warning; }))
      << "no strips over the page that lists their facts";
  draw(named("status-every-fault", Language::english).model);
  EXPECT_TRUE(log.shows("differs from lists.example.jp by +47 s"));
  EXPECT_EQ(count_texts(log, "Fault") + count_texts(log, "Warning"), 9);
}

TEST_F(Screens, StatusPageSaysScannerForAHandheldScannerAndNoRateForIt) {
  samples::SampleScreen s = named("status");
  s.model.status.facts.capture = ui::CaptureKind::scanner;
  s.model.camera_fps = 0;
  draw(s.model);
  EXPECT_TRUE(log.find_text("スキャナー"));
  EXPECT_TRUE(log.find_text("接続中"));
  EXPECT_FALSE(log.shows("動作中 0.0 fps")) << "no frame rate for a scanner";
  s.model.screen = ScreenKind::idle;
  draw(s.model);
  EXPECT_TRUE(log.find_text("スキャナー 接続中")) << "the header names the scanner too";
  EXPECT_FALSE(log.shows("fps"));
}

TEST_F(Screens, WarningStripsNameTheFactBehindThem) {
  draw(named("idle-warnings").model);
  EXPECT_TRUE(log.shows("この端末の時計が+47秒ずれています"));
  EXPECT_TRUE(log.shows("失効リストの更新期限切れ。2026-11-30 10:42に確認が止まります"));
  draw(named("idle-warnings", Language::english).model);
  EXPECT_TRUE(log.shows("This kiosk's clock is off by +47 s"));
  EXPECT_TRUE(log.shows("Revocation list past its update date: verification stops 2026-11-30"));
  draw(named("idle-warning-clock-ntp").model);
  EXPECT_TRUE(log.shows("NTPで同期されていません"));
  EXPECT_FALSE(log.shows("秒ずれています")) << "no offset was measured";
  draw(named("refused-audit-not-recording-disk-full").model);
  EXPECT_TRUE(log.shows("ディスクの空きがなく、確認結果が記録されていません"));
  draw(named("valid-handoff-failed-audit-delayed").model);
  EXPECT_TRUE(log.shows("12件を端末に保存済みです"));
  EXPECT_TRUE(log.shows("レセコンの送信先 xml が応答しません。4件を端末に保存し"));
}

TEST_F(Screens, ClockStripWithoutAMeasurementStillWarns) {
  samples::SampleScreen s = named("idle-warnings");
  s.model.status.facts.clock = {};
  draw(s.model);
  EXPECT_TRUE(log.shows("この端末の時計が合っていない可能性があります"));
}

TEST_F(Screens, StatusPageSaysWhenAnOlderListWasPutBack) {
  draw(named("status").model);
  EXPECT_FALSE(log.shows("古い版に戻されていた"));
  draw(named("status-held-list-rolled-back").model);
  EXPECT_TRUE(log.shows("古い版に戻されていた"));
  draw(named("status-held-list-rolled-back", Language::english).model);
  EXPECT_TRUE(log.shows("put back older"));
}

TEST_F(Screens, SendButtonOnlyOnValidResultsWhenHandoffIsByStaff) {
  const auto has_send = [&] {
    for (const ui::DrawnButton& b : log.buttons) {
      if (b.action == ui::StaffAction::send_to_receipt) return true;
    }
    return false;
  };
  draw(named("valid").model);
  EXPECT_TRUE(has_send());
  EXPECT_TRUE(log.find_text("レセコンへ送信 (S)"));
  samples::SampleScreen no_handoff = named("valid");
  no_handoff.model.handoff_enabled = false;
  draw(no_handoff.model);
  EXPECT_FALSE(has_send());
  draw(named("refused-retry-stale").model);
  EXPECT_FALSE(has_send());
  draw(named("idle").model, true);
  EXPECT_FALSE(has_send());
}

TEST_F(Screens, EnglishKioskShowsEnglish) {
  draw(named("valid", Language::english).model);
  EXPECT_TRUE(log.find_text("Eligibility confirmed"));
  EXPECT_TRUE(log.find_text("1985-04-01 (Showa 60)　age 41"));
  EXPECT_FALSE(log.shows("確認できました"));
  draw(named("refused-retry-stale", Language::english).model);
  EXPECT_TRUE(log.find_text("Ask the patient to refresh the page and scan again"));
}

TEST_F(Screens, TouchingAButtonGivesItsAction) {
  draw(named("valid").model);
  ASSERT_GE(log.buttons.size(), 4u);
  for (const ui::DrawnButton& b : log.buttons) {
    EXPECT_EQ(ui::action_at(log, b.rect.x + b.rect.w / 2, b.rect.y + b.rect.h / 2), b.action);
  }
  EXPECT_FALSE(ui::action_at(log, 5, log.height / 2)) << "the card is not a button";
}

// The strip under a result (issue 11): a bar that drains and the seconds left,
// or 固定中 with the pin's ceiling; inside the content, under the card, above
// the buttons, at both sizes.
TEST_F(Screens, CountdownBarAndSecondsAreDrawnInsideTheStripAndTheBarDrains) {
  for (const auto& [w, h] : {std::pair{1024, 768}, std::pair{1920, 1080}}) {
    SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
    auto sized = make_screen(w, h);
    ASSERT_TRUE(sized);
    const auto strip_of = [](const DrawLog& drawn, DrawnPanel::Role role) -> const DrawnPanel* {
      for (const DrawnPanel& p : drawn.panels) {
        if (p.role == role) return &p;
      }
      return nullptr;
    };
    const DrawLog long_left = sized->draw(named("valid-countdown").model);
    const DrawnPanel* strip = strip_of(long_left, DrawnPanel::Role::countdown);
    const DrawnPanel* bar = strip_of(long_left, DrawnPanel::Role::countdown_bar);
    const DrawnPanel* card = strip_of(long_left, DrawnPanel::Role::card);
    ASSERT_TRUE(strip && bar && card);
    EXPECT_TRUE(bar->rect.inside(strip->rect)) << describe(bar->rect);
    EXPECT_GT(bar->rect.w, 0);
    EXPECT_LE(card->rect.y + card->rect.h, strip->rect.y) << "under the card";
    for (const ui::DrawnButton& b : long_left.buttons) {
      EXPECT_LE(strip->rect.y + strip->rect.h, b.rect.y) << "above the buttons";
    }
    const ui::DrawnText* seconds = long_left.find_text("あと13秒で消えます");  // 12.3 s left
    ASSERT_NE(seconds, nullptr);
    EXPECT_TRUE(seconds->rect.inside(seconds->box));
    EXPECT_TRUE(seconds->box.inside(strip->rect));
    EXPECT_GE(seconds->box.x, bar->rect.x + bar->rect.w) << "beside the bar, not on it";
    const int long_bar = bar->rect.w;

    const DrawLog short_left = sized->draw(named("refused-countdown").model);
    const DrawnPanel* short_bar = strip_of(short_left, DrawnPanel::Role::countdown_bar);
    ASSERT_NE(short_bar, nullptr);
    EXPECT_LT(short_bar->rect.w, long_bar) << "less time left, a shorter bar";
    EXPECT_TRUE(short_left.find_text("あと4秒で消えます"));

    const DrawLog pinned = sized->draw(named("valid-pinned").model);
    const DrawnPanel* pinned_strip = strip_of(pinned, DrawnPanel::Role::countdown);
    ASSERT_NE(pinned_strip, nullptr);
    EXPECT_EQ(strip_of(pinned, DrawnPanel::Role::countdown_bar), nullptr) << "no countdown";
    const ui::DrawnText* pinned_word = pinned.find_text("固定中");
    const ui::DrawnText* ceiling = pinned.find_text("4:32後に自動で消えます");
    ASSERT_TRUE(pinned_word && ceiling);
    EXPECT_TRUE(pinned_word->box.inside(pinned_strip->rect));
    EXPECT_TRUE(ceiling->box.inside(pinned_strip->rect));
    EXPECT_TRUE(ceiling->rect.inside(ceiling->box));
  }
}

TEST_F(Screens, PinButtonOnResultsSaysWhetherItPinsOrUnpins) {
  const auto pin_label = [&]() -> std::string {
    for (const ui::DrawnButton& b : log.buttons) {
      if (b.action != ui::StaffAction::pin) continue;
      for (const ui::DrawnText& t : log.texts) {
        if (t.box.inside(b.rect)) return t.text;
      }
    }
    return "";
  };
  draw(named("valid-countdown").model);
  EXPECT_EQ(pin_label(), "固定 (P)");
  draw(named("refused-countdown").model);
  EXPECT_EQ(pin_label(), "固定 (P)");
  draw(named("valid-pinned").model);
  EXPECT_EQ(pin_label(), "固定を解除 (P)");
  draw(named("idle").model, true);
  EXPECT_EQ(pin_label(), "") << "nothing to pin";
}

TEST(StaffKeys, MapToTheirActions) {
  using ui::StaffAction;
  EXPECT_EQ(ui::action_for_key(SDLK_ESCAPE), StaffAction::clear);
  EXPECT_EQ(ui::action_for_key(SDLK_SPACE), StaffAction::clear);
  EXPECT_EQ(ui::action_for_key(SDLK_r), StaffAction::read_again);
  EXPECT_EQ(ui::action_for_key(SDLK_s), StaffAction::send_to_receipt);
  EXPECT_EQ(ui::action_for_key(SDLK_F1), StaffAction::toggle_status);
  EXPECT_EQ(ui::action_for_key(SDLK_TAB), StaffAction::toggle_status);
  EXPECT_EQ(ui::action_for_key(SDLK_p), StaffAction::pin);
  EXPECT_FALSE(ui::action_for_key(SDLK_a));
}

TEST_F(Screens, SavesAPngOfWhatIsShown) {
  draw(named("refused-retry-stale").model);
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("kakunin-screen-" + std::to_string(::getpid()) + ".png");
  std::string error;
  ASSERT_TRUE(screen->save_png(path, &error)) << error;
  const std::optional<PngImage> image = read_png(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->width, 1024);
  EXPECT_EQ(image->height, 768);
  EXPECT_TRUE(is_amber(image->at(20, 400))) << "the stale retry card";
  EXPECT_EQ(image->at(20, 400), screen->pixel(20, 400));

  // The small variant for committed docs: same size, flat colours exact.
  ASSERT_TRUE(screen->save_png(path, &error, ui::PngColours::palette)) << error;
  const std::optional<PngImage> small = read_png(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(small);
  EXPECT_EQ(small->width, 1024);
  EXPECT_EQ(small->at(20, 400), screen->pixel(20, 400));
  EXPECT_EQ(small->at(5, 5), screen->pixel(5, 5));
}

TEST(OffscreenScreenCreate, MissingFontIsAClearErrorNotACrash) {
  ui::FontFiles fonts;
  fonts.regular = "/nonexistent/font.ttc";
  std::string error;
  EXPECT_FALSE(OffscreenScreen::create(1024, 768, &error, fonts));
  EXPECT_NE(error.find("fonts-noto-cjk"), std::string::npos) << error;
  EXPECT_FALSE(OffscreenScreen::create(10, 10, &error));
}

// A real SDL window on the dummy video driver (no display needed): keys and
// screenshots through the same path the kiosk uses.
class Window : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("kakunin-shots-" + std::to_string(::getpid()));
};

TEST_F(Window, KeysBecomeStaffActions) {
  auto window = open_dummy_window();
  ASSERT_TRUE(window);
  window->draw(samples::sample_screens(Language::japanese)[2].model);
  SDL_Event key{};
  key.type = SDL_KEYDOWN;
  key.key.keysym.sym = SDLK_ESCAPE;
  SDL_PushEvent(&key);
  key.key.keysym.sym = SDLK_r;
  SDL_PushEvent(&key);
  bool quit = false;
  const auto actions = window->poll(100, &quit);
  EXPECT_EQ(actions, (std::vector{ui::StaffAction::clear, ui::StaffAction::read_again}));
  EXPECT_FALSE(quit);
}

TEST_F(Window, ScreenshotsEachNewScreenButNeverAProductionValidResult) {
  auto window = open_dummy_window(dir);
  ASSERT_TRUE(window);
  const auto screens = samples::sample_screens(Language::japanese);
  const auto find = [&](const std::string& name) {
    for (const auto& s : screens) {
      if (s.name == name) return s.model;
    }
    return ui::ScreenModel{};
  };
  window->draw(find("idle"));
  window->draw(find("idle"));   // the same screen again: no second file
  window->draw(find("valid"));  // production: personal data stays off disk
  window->draw(find("refused-retry-stale"));
  window->draw(find("valid-test-mode-hint"));  // test mode: sample data may be saved
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files,
            (std::vector<std::string>{"0001-idle.png", "0002-refused.png", "0003-valid.png"}));
  const std::optional<PngImage> shot = read_png(dir / "0002-refused.png");
  ASSERT_TRUE(shot);
  EXPECT_EQ(shot->width, 1024);
  EXPECT_TRUE(is_amber(shot->at(20, 400))) << "the screenshot is what was drawn";
}

}  // namespace
}  // namespace kakunin::testing
