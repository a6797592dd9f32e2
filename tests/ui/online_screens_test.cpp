// The オンライン資格確認 on the valid card, checked as reception staff would see it:
// the national answer stands beside the offline verdict (never instead of it),
// "not entitled" is a red stop across the card that a greyscale photo still
// shows, a difference names its field and the national value, the waiting mark
// moves, and a kiosk that does not ask online draws exactly as it did.
#include "sample_screens.h"
#include "screen_colours.h"

#include <kakunin/ui/catalogue.h>
#include <kakunin/ui/screen.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kakunin::testing {
namespace {

using online::OnlineField;
using online::OnlineReason;
using online::OnlineState;
using online::OnlineStatus;
using ui::DrawLog;
using ui::DrawnPanel;
using ui::Language;
using ui::OffscreenScreen;
using ui::Rgb;
namespace samples = ui::samples;

constexpr const char* kOnlineSamples[] = {
    "valid-online-pending", "valid-online-confirmed", "valid-online-mismatch-ratio",
    "valid-online-not-entitled-lost", "valid-online-unavailable-timed-out"};

std::unique_ptr<OffscreenScreen> make_screen(int w, int h) {
  std::string error;
  auto screen = OffscreenScreen::create(w, h, &error);
  EXPECT_TRUE(screen) << error;
  return screen;
}

ui::ScreenModel sample(const std::string& name, Language language = Language::japanese) {
  for (const samples::SampleScreen& s : samples::sample_screens(language)) {
    if (s.name == name) return s.model;
  }
  ADD_FAILURE() << "no sample " << name;
  return {};
}

const DrawnPanel* find_panel(const DrawLog& log, DrawnPanel::Role role) {
  for (const DrawnPanel& p : log.panels) {
    if (p.role == role) return &p;
  }
  return nullptr;
}

const ui::DrawnIcon* find_icon(const DrawLog& log, ui::Icon icon) {
  for (const ui::DrawnIcon& i : log.icons) {
    if (i.icon == icon) return &i;
  }
  return nullptr;
}

// The share of a rectangle's pixels (every other one each way) that `test` accepts.
double share_of(const OffscreenScreen& screen, const ui::Rect& r,
                const std::function<bool(Rgb)>& test) {
  int hits = 0;
  int all = 0;
  for (int y = r.y; y < r.y + r.h; y += 2) {
    for (int x = r.x; x < r.x + r.w; x += 2) {
      hits += test(screen.pixel(x, y)) ? 1 : 0;
      ++all;
    }
  }
  return all == 0 ? 0 : static_cast<double>(hits) / all;
}

// The whole result: the card, and the stop drawn round it when there is one.
ui::Rect result_area(const DrawLog& log) {
  if (const DrawnPanel* stop = find_panel(log, DrawnPanel::Role::online_stop)) return stop->rect;
  const DrawnPanel* card = find_panel(log, DrawnPanel::Role::card);
  return card ? card->rect : ui::Rect{};
}

std::vector<Rgb> all_pixels(const OffscreenScreen& screen) {
  std::vector<Rgb> out;
  for (int y = 0; y < screen.height(); ++y) {
    for (int x = 0; x < screen.width(); ++x) out.push_back(screen.pixel(x, y));
  }
  return out;
}

struct Size {
  int width;
  int height;
};
constexpr Size kSizes[] = {{1024, 768}, {1920, 1080}};

TEST(OnlineCheck, CardWithoutOnlineCheckDrawsAsBefore) {
  for (const Size size : kSizes) {
    SCOPED_TRACE(std::to_string(size.width));
    const ui::ScreenModel plain = sample("valid-countdown");
    ASSERT_TRUE(plain.valid);
    ASSERT_FALSE(plain.valid->online) << "the kiosk does not ask online";
    auto screen = make_screen(size.width, size.height);
    ASSERT_TRUE(screen);
    const DrawLog first = screen->draw(plain);
    EXPECT_EQ(find_panel(first, DrawnPanel::Role::online), nullptr);
    EXPECT_EQ(find_panel(first, DrawnPanel::Role::online_stop), nullptr);
    for (const char* word : {"オンライン", "国の回答"}) {
      EXPECT_FALSE(first.shows(word)) << word;
    }
    ASSERT_EQ(first.icons.size(), 1u) << "the verdict's check only";
    // The fields keep the card's whole height, as before there was an online row:
    // 氏名 right under the card's top edge.
    const ui::DrawnText* name_label = first.find_text("氏名");
    ASSERT_NE(name_label, nullptr);
    EXPECT_LT(name_label->box.y - find_panel(first, DrawnPanel::Role::card)->rect.y,
              size.height / 40);
    const std::vector<Rgb> before = all_pixels(*screen);

    // Every online state in turn on the same screen leaves no trace behind:
    // without an online check the card is drawn pixel for pixel as the first time.
    for (const char* name : kOnlineSamples) screen->draw(sample(name));
    const DrawLog again = screen->draw(plain);
    EXPECT_EQ(all_pixels(*screen), before);
    ASSERT_EQ(again.texts.size(), first.texts.size());
    for (std::size_t i = 0; i < first.texts.size(); ++i) {
      EXPECT_EQ(again.texts[i].text, first.texts[i].text);
      EXPECT_EQ(again.texts[i].pixel_size, first.texts[i].pixel_size) << first.texts[i].text;
    }
  }
}

TEST(OnlineCheck, NotEntitledAnswerCoversTheCardInRed) {
  for (const Size size : kSizes) {
    SCOPED_TRACE(std::to_string(size.width));
    auto screen = make_screen(size.width, size.height);
    ASSERT_TRUE(screen);
    const DrawLog plain = screen->draw(sample("valid-countdown"));
    const ui::Rect plain_area = result_area(plain);
    const double plain_red = share_of(*screen, plain_area, is_red);
    const double plain_dark = share_of(*screen, plain_area, [](Rgb c) { return luma(c) < 70; });

    const DrawLog lost = screen->draw(sample("valid-online-not-entitled-lost"));
    const DrawnPanel* stop = find_panel(lost, DrawnPanel::Role::online_stop);
    ASSERT_NE(stop, nullptr);
    const double red = share_of(*screen, stop->rect, is_red);
    const double dark = share_of(*screen, stop->rect, [](Rgb c) { return luma(c) < 70; });
    EXPECT_EQ(plain_red, 0.0) << "the plain valid card has no red";
    EXPECT_GT(red, 0.3) << "a third of the card or more is red";
    // In greyscale too: the plain card is light, this one largely dark.
    EXPECT_GT(dark, plain_dark + 0.25) << dark << " vs " << plain_dark;

    // The stop, read first: an octagon at least a fifth of the screen high, above
    // the offline card, and the headline the largest text on the screen.
    const ui::DrawnIcon* octagon = find_icon(lost, ui::Icon::stop);
    ASSERT_NE(octagon, nullptr);
    EXPECT_GE(octagon->rect.h * 5, size.height);
    const DrawnPanel* card = find_panel(lost, DrawnPanel::Role::card);
    ASSERT_NE(card, nullptr);
    EXPECT_LE(octagon->rect.y + octagon->rect.h, card->rect.y);
    EXPECT_TRUE(card->rect.inside(stop->rect)) << "the offline card inside the red frame";
    const ui::DrawnText* headline = lost.find_text("国の回答: 資格がありません");
    ASSERT_NE(headline, nullptr);
    for (const ui::DrawnText& t : lost.texts) {
      if (&t == headline) continue;
      EXPECT_LT(t.pixel_size, headline->pixel_size) << t.text;
    }
    EXPECT_TRUE(lost.find_text("資格喪失"));
    EXPECT_TRUE(lost.shows("マイナ保険証か新しい資格確認書で資格を確認してください"));
    EXPECT_FALSE(lost.shows("受付できません")) << "the patient is seen; checked another way";

    // The offline data stays, smaller: what the certificate says is still there.
    for (const char* offline :
         {"資格を確認できました", "見本 太郎", "06139993", "12345", "6789012", "01", "3割"}) {
      EXPECT_TRUE(lost.find_text(offline)) << offline;
    }
    EXPECT_TRUE(find_icon(lost, ui::Icon::check));
  }
}

TEST(OnlineCheck, NotEntitledSaysWhyInPlainWords) {
  auto screen = make_screen(1024, 768);
  ASSERT_TRUE(screen);
  ui::ScreenModel model = sample("valid-online-not-entitled-lost");
  const std::pair<OnlineReason, const char*> reasons[] = {
      {OnlineReason::lost, "資格喪失"},
      {OnlineReason::replaced, "新しい資格があります"},
      {OnlineReason::not_found, "該当する資格なし"}};
  for (const auto& [reason, words] : reasons) {
    model.valid->online->reason = reason;
    const DrawLog log = screen->draw(model);
    EXPECT_TRUE(log.find_text(words)) << words;
    EXPECT_TRUE(log.find_text("国の回答: 資格がありません"));
  }
  const DrawLog english = screen->draw(sample("valid-online-not-entitled-lost", Language::english));
  EXPECT_TRUE(english.find_text("National record: not eligible"));
  EXPECT_TRUE(english.find_text("Qualification lost"));
}

TEST(OnlineCheck, OnlineStatesLookDifferentInGreyscale) {
  struct Look {
    const char* sample;
    int luma = 0;
    Rgb deuteranope{};
    ui::Icon icon = ui::Icon::check;
  };
  std::vector<Look> looks;
  auto screen = make_screen(1024, 768);
  ASSERT_TRUE(screen);
  for (const char* name : kOnlineSamples) {
    const DrawLog log = screen->draw(sample(name));
    const DrawnPanel* row = find_panel(log, DrawnPanel::Role::online);
    if (!row) row = find_panel(log, DrawnPanel::Role::online_stop);
    ASSERT_NE(row, nullptr) << name;
    // The row's far corner: its colour, clear of its icon and words.
    const Rgb back = screen->pixel(row->rect.x + row->rect.w - 3, row->rect.y + 2);
    // Its icon: the first one inside the row (the stop's octagon comes first).
    std::optional<ui::Icon> icon;
    for (const ui::DrawnIcon& i : log.icons) {
      if (!icon && i.rect.inside(row->rect)) icon = i.icon;
    }
    ASSERT_TRUE(icon) << name;
    looks.push_back({name, luma(back), as_deuteranope_sees(back), *icon});
  }
  for (std::size_t i = 0; i < looks.size(); ++i) {
    for (std::size_t j = i + 1; j < looks.size(); ++j) {
      EXPECT_GE(std::abs(looks[i].luma - looks[j].luma), 30)
          << looks[i].sample << " and " << looks[j].sample << " look alike in greyscale";
      EXPECT_GE(distance(looks[i].deuteranope, looks[j].deuteranope), 60)
          << looks[i].sample << " and " << looks[j].sample << " look alike to a deuteranope";
      EXPECT_NE(looks[i].icon, looks[j].icon) << looks[i].sample << " / " << looks[j].sample;
    }
  }
}

TEST(OnlineCheck, PendingSpinnerMovesWithTheCountdown) {
  auto screen = make_screen(1024, 768);
  ASSERT_TRUE(screen);
  ui::ScreenModel model = sample("valid-online-pending");
  ASSERT_TRUE(model.countdown);
  const auto spinner_pixels = [&](std::chrono::milliseconds remaining) {
    model.countdown->remaining = remaining;
    const DrawLog log = screen->draw(model);
    EXPECT_TRUE(log.find_text("オンライン資格確認中…"));
    const ui::DrawnIcon* spinner = find_icon(log, ui::Icon::spinner);
    std::vector<Rgb> out;
    if (!spinner) {
      ADD_FAILURE() << "no spinner";
      return out;
    }
    for (int y = spinner->rect.y; y < spinner->rect.y + spinner->rect.h; ++y) {
      for (int x = spinner->rect.x; x < spinner->rect.x + spinner->rect.w; ++x)
        out.push_back(screen->pixel(x, y));
    }
    return out;
  };
  using std::chrono::milliseconds;
  const std::vector<Rgb> at_12_3 = spinner_pixels(milliseconds(12300));
  const std::vector<Rgb> at_12_2 = spinner_pixels(milliseconds(12200));
  EXPECT_NE(at_12_3, at_12_2) << "one countdown step later the mark has moved";
  EXPECT_NE(at_12_2, spinner_pixels(milliseconds(12100)));
  EXPECT_EQ(at_12_3, spinner_pixels(milliseconds(12300))) << "the same moment, the same picture";
}

TEST(OnlineCheck, MismatchNamesTheDifferingFieldAndWhatToDo) {
  auto screen = make_screen(1024, 768);
  ASSERT_TRUE(screen);
  const DrawLog log = screen->draw(sample("valid-online-mismatch-ratio"));
  EXPECT_TRUE(log.find_text("負担割合: 国の回答は 2割（資格確認書は 3割）"));
  EXPECT_TRUE(log.shows("レセコンには国の回答を使ってください"));
  EXPECT_TRUE(log.shows("違いを患者さんに確認してください"));
  const DrawnPanel* row = find_panel(log, DrawnPanel::Role::online);
  ASSERT_NE(row, nullptr);
  EXPECT_TRUE(is_amber(screen->pixel(row->rect.x + row->rect.w - 3, row->rect.y + 2)));
  EXPECT_TRUE(log.find_text("3割")) << "the certificate's own ratio stays on the card";
  EXPECT_TRUE(log.find_text("資格を確認できました"));

  const DrawLog english = screen->draw(sample("valid-online-mismatch-ratio", Language::english));
  EXPECT_TRUE(english.find_text("Co-payment: national record says 20 % (certificate: 30 %)"));
}

TEST(OnlineCheck, MismatchOnEveryFieldStillFitsTheCard) {
  ui::ScreenModel model = sample("valid-online-mismatch-ratio");
  model.valid->online->differences = {
      {OnlineField::ratio, "020"},           {OnlineField::valid_until, "20270331"},
      {OnlineField::relationship, "2"},      {OnlineField::name, "見本 太朗"},
      {OnlineField::birth_date, "19850402"}, {OnlineField::branch, ""}};
  for (const Size size : kSizes) {
    for (Language language : {Language::japanese, Language::english}) {
      SCOPED_TRACE(std::to_string(size.width) + (language == Language::english ? " en" : " ja"));
      model.language = language;
      auto screen = make_screen(size.width, size.height);
      ASSERT_TRUE(screen);
      const DrawLog log = screen->draw(model);
      for (const ui::DrawnText& t : log.texts) {
        EXPECT_TRUE(t.rect.inside(t.box)) << t.text;
        EXPECT_FALSE(t.shrunk_to_minimum) << t.text;
        EXPECT_GE(t.pixel_size, 12) << t.text;
      }
      for (std::size_t i = 0; i < log.texts.size(); ++i) {
        for (std::size_t j = i + 1; j < log.texts.size(); ++j) {
          EXPECT_FALSE(log.texts[i].rect.overlaps(log.texts[j].rect))
              << log.texts[i].text << " / " << log.texts[j].text;
        }
      }
      if (language == Language::japanese) {
        // Two in full; so many differences mean asking the patient, so the rest by name.
        EXPECT_TRUE(log.find_text("負担割合: 国の回答は 2割（資格確認書は 3割）"));
        EXPECT_TRUE(log.find_text("有効期限: 国の回答は 2027-03-31（資格確認書は 2030-12-01）"));
        EXPECT_TRUE(log.find_text("ほかに違う項目: 本人・家族、氏名、生年月日、枝番"));
      }
    }
  }
}

TEST(OnlineCheck, ConfirmedAnswerIsCalmGreenAndTheNumbersStayLargest) {
  for (const char* name : {"valid-online-confirmed", "valid-online-pending"}) {
    for (const Size size : kSizes) {
      SCOPED_TRACE(std::string(name) + " " + std::to_string(size.width));
      auto screen = make_screen(size.width, size.height);
      ASSERT_TRUE(screen);
      const ui::ScreenModel model = sample(name);
      const DrawLog log = screen->draw(model);
      const crypto::Certificate& c = model.valid->presentation.certificate;
      int smallest_number = 1 << 20;
      for (const std::string& copied : {c.insurer_number, *c.symbol, c.number, c.branch}) {
        const ui::DrawnText* t = log.find_text(copied);
        ASSERT_NE(t, nullptr) << copied;
        smallest_number = std::min(smallest_number, t->pixel_size);
      }
      const ui::Rect card = find_panel(log, DrawnPanel::Role::card)->rect;
      for (const ui::DrawnText& t : log.texts) {
        const bool copied = t.text == c.insurer_number || t.text == *c.symbol ||
                            t.text == c.number || t.text == c.branch;
        if (!copied && t.text != "3割" && t.box.inside(card)) {
          EXPECT_LT(t.pixel_size, smallest_number) << t.text;
        }
      }
    }
  }
  auto screen = make_screen(1024, 768);
  ASSERT_TRUE(screen);
  const DrawLog log = screen->draw(sample("valid-online-confirmed"));
  EXPECT_TRUE(log.find_text("オンライン資格確認: 資格あり（国の回答と一致）"));
  const DrawnPanel* row = find_panel(log, DrawnPanel::Role::online);
  ASSERT_NE(row, nullptr);
  EXPECT_TRUE(is_green(screen->pixel(row->rect.x + row->rect.w - 3, row->rect.y + 2)));
  const ui::DrawnIcon* check = nullptr;
  for (const ui::DrawnIcon& i : log.icons) {
    if (i.icon == ui::Icon::check && i.rect.inside(row->rect)) check = &i;
  }
  EXPECT_NE(check, nullptr) << "a check mark beside the words";
}

TEST(OnlineCheck, NoAnswerIsGreyAndSaysTheResultOnScreenStands) {
  auto screen = make_screen(1024, 768);
  ASSERT_TRUE(screen);
  ui::ScreenModel model = sample("valid-online-unavailable-timed-out");
  DrawLog log = screen->draw(model);
  EXPECT_TRUE(log.find_text("オンライン確認できませんでした（応答なし）"));
  EXPECT_TRUE(log.find_text("この画面の結果で受付できます"));
  EXPECT_TRUE(log.find_text("資格を確認できました")) << "the offline verdict stands";
  const DrawnPanel* row = find_panel(log, DrawnPanel::Role::online);
  ASSERT_NE(row, nullptr);
  const Rgb back = screen->pixel(row->rect.x + row->rect.w - 3, row->rect.y + 2);
  EXPECT_LT(std::max({back.r, back.g, back.b}) - std::min({back.r, back.g, back.b}), 8)
      << "neutral grey, neither good nor bad news";
  model.valid->online->reason = OnlineReason::error_answer;
  model.valid->online->code = "EOQS0000";
  log = screen->draw(model);
  EXPECT_TRUE(log.find_text("オンライン確認できませんでした（エラー応答 EOQS0000）"));
}

TEST(OnlineCheck, HandOffHeldForTheNationalAnswerSaysSo) {
  auto screen = make_screen(1024, 768);
  ASSERT_TRUE(screen);
  const ui::ScreenModel model = sample("valid-online-pending");
  ASSERT_EQ(model.valid->handoff, ui::HandoffDisplay::waiting_online);
  const DrawLog log = screen->draw(model);
  EXPECT_TRUE(log.find_text("国の回答を待って送信します"));
  EXPECT_FALSE(log.shows("送信済み"));
  EXPECT_FALSE(log.shows("送信中"));
  for (const ui::DrawnButton& b : log.buttons) {
    EXPECT_NE(b.action, ui::StaffAction::send_to_receipt) << "it is already queued to go";
  }
  const DrawLog english = screen->draw(sample("valid-online-pending", Language::english));
  EXPECT_TRUE(english.shows("national answer"));
}

TEST(OnlineCheck, OfflineVerdictStaysBesideEveryOnlineAnswer) {
  auto screen = make_screen(1024, 768);
  ASSERT_TRUE(screen);
  for (const char* name : kOnlineSamples) {
    SCOPED_TRACE(name);
    const DrawLog log = screen->draw(sample(name));
    EXPECT_TRUE(log.find_text("資格を確認できました"));
    EXPECT_TRUE(log.shows("確認 10:42:05・QR表示から3秒"));
    const DrawnPanel* band = find_panel(log, DrawnPanel::Role::card_header);
    ASSERT_NE(band, nullptr);
    EXPECT_TRUE(is_green(screen->pixel(band->rect.x + 3, band->rect.y + band->rect.h - 3)));
  }
}

// ------------------------------------------------------------ the words --

TEST(OnlineWording, EveryStateAndReasonHasWordsInBothLanguages) {
  for (Language language : {Language::japanese, Language::english}) {
    for (OnlineState state : {OnlineState::pending, OnlineState::confirmed, OnlineState::mismatch,
                              OnlineState::not_entitled, OnlineState::unavailable}) {
      const ui::OnlineWording w = ui::online_wording({state, OnlineReason::none, {}, ""}, language);
      EXPECT_FALSE(w.headline.empty()) << online::online_state_name(state);
      const bool acts = state != OnlineState::pending && state != OnlineState::confirmed;
      EXPECT_EQ(!w.action.empty(), acts) << online::online_state_name(state);
    }
    for (OnlineReason reason :
         {OnlineReason::lost, OnlineReason::replaced, OnlineReason::not_found}) {
      const ui::OnlineWording w =
          ui::online_wording({OnlineState::not_entitled, reason, {}, ""}, language);
      EXPECT_FALSE(w.reason.empty()) << online::online_reason_name(reason);
    }
    for (OnlineReason reason :
         {OnlineReason::several_found, OnlineReason::error_answer, OnlineReason::timed_out,
          OnlineReason::request_failed, OnlineReason::not_asked}) {
      const ui::OnlineWording w =
          ui::online_wording({OnlineState::unavailable, reason, {}, ""}, language);
      EXPECT_EQ(w.headline.find("()"), std::string::npos)
          << online::online_reason_name(reason) << " says why";
      EXPECT_EQ(w.headline.find("（）"), std::string::npos);
    }
  }
  EXPECT_EQ(ui::online_wording({OnlineState::unavailable, OnlineReason::error_answer, {}, ""},
                               Language::japanese)
                .headline,
            "オンライン確認できませんでした（エラー応答）")
      << "no code, no dangling space";
}

TEST(OnlineWording, FieldsAreNamedAsOnTheCard) {
  const std::pair<OnlineField, const char*> names[] = {
      {OnlineField::ratio, "負担割合"},          {OnlineField::valid_until, "有効期限"},
      {OnlineField::relationship, "本人・家族"}, {OnlineField::name, "氏名"},
      {OnlineField::birth_date, "生年月日"},     {OnlineField::branch, "枝番"}};
  for (const auto& [field, name] : names) {
    EXPECT_EQ(ui::online_field_label(field, Language::japanese), name);
    EXPECT_FALSE(ui::online_field_label(field, Language::english).empty());
  }
  const crypto::Certificate c = samples::sample_presentation().certificate;
  EXPECT_EQ(ui::online_difference({OnlineField::ratio, "020"}, c, Language::japanese),
            "負担割合: 国の回答は 2割（資格確認書は 3割）");
  EXPECT_EQ(ui::online_difference({OnlineField::birth_date, "19850402"}, c, Language::japanese),
            "生年月日: 国の回答は 1985-04-02（資格確認書は 1985-04-01）");
  EXPECT_EQ(ui::online_difference({OnlineField::name, "見本 太朗"}, c, Language::english),
            "Name: national record says 見本 太朗 (certificate: 見本 太郎)");
  EXPECT_EQ(ui::online_difference({OnlineField::branch, ""}, c, Language::japanese),
            "枝番: 国の回答に記載なし（資格確認書は 01）")
      << "an answer that leaves the field out says so";
}

TEST(OnlineWording, ThreeDifferencesInFullMoreNamedOnTheLastLine) {
  const crypto::Certificate c = samples::sample_presentation().certificate;
  OnlineStatus status{OnlineState::mismatch,
                      OnlineReason::none,
                      {{OnlineField::ratio, "020"},
                       {OnlineField::valid_until, "20270331"},
                       {OnlineField::relationship, "2"}},
                      ""};
  EXPECT_EQ(ui::online_difference_lines(status, c, Language::japanese, 3),
            (std::vector<std::string>{"負担割合: 国の回答は 2割（資格確認書は 3割）",
                                      "有効期限: 国の回答は 2027-03-31（資格確認書は 2030-12-01）",
                                      "本人・家族: 国の回答は 家族（資格確認書は 本人）"}));
  status.differences.push_back({OnlineField::branch, "02"});
  const std::vector<std::string> four =
      ui::online_difference_lines(status, c, Language::english, 3);
  ASSERT_EQ(four.size(), 3u);
  EXPECT_EQ(four[2], "Also different: Insured/dependent, Branch");
}

}  // namespace
}  // namespace kakunin::testing
