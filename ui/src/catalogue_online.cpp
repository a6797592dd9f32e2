// What the valid card says about the オンライン資格確認 (kakunin/online/status.h):
// the national answer in a few words and what reception staff do about it, in
// Japanese and English side by side. The offline verdict is never reworded here:
// these words stand beside it.
#include <kakunin/base/japan_time.h>
#include <kakunin/ui/catalogue.h>

#include <algorithm>

namespace kakunin::ui {
namespace {

using online::OnlineField;
using online::OnlineReason;
using online::OnlineState;

struct Message {
  std::string_view japanese;
  std::string_view english;
};

std::string_view in(const Message& message, Language language) {
  return language == Language::japanese ? message.japanese : message.english;
}

// The headline per state; unavailable fills in why. A switch without a default:
// a new state fails the build (-Wswitch, -Werror) until it has its words here.
Message headline_for(OnlineState state) {
  switch (state) {
    case OnlineState::pending:
      return {"オンライン資格確認中…", "Checking eligibility online…"};
    case OnlineState::confirmed:
      return {"オンライン資格確認: 資格あり（国の回答と一致）",
              "Online check: eligible (matches the national record)"};
    case OnlineState::mismatch:
      return {"オンライン資格確認: 国の回答と違う項目があります",
              "Online check: the national record differs"};
    case OnlineState::not_entitled:
      return {"国の回答: 資格がありません", "National record: not eligible"};
    case OnlineState::unavailable:
      return {"オンライン確認できませんでした（{}）", "Online check not possible ({})"};
  }
  return {"", ""};
}

// What staff do. Never "not accepted" (docs/screens.md): a patient whose
// certificate the national system rejects is still seen, and eligibility is
// checked another way.
Message action_for(OnlineState state) {
  switch (state) {
    case OnlineState::pending:
    case OnlineState::confirmed:
      break;
    case OnlineState::mismatch:
      return {"レセコンには国の回答を使ってください。違いを患者さんに確認してください。",
              "Use the national record in the receipt PC. Check the difference with the "
              "patient."};
    case OnlineState::not_entitled:
      return {
          "この資格確認書は使えません。マイナ保険証か新しい資格確認書で資格を確認してください。",
          "This certificate cannot be used. Confirm eligibility with the マイナ保険証 or a "
          "new certificate."};
    case OnlineState::unavailable:
      return {"この画面の結果で受付できます", "The result on this screen stands"};
  }
  return {"", ""};
}

// Why, in the words of the national system's answer (資格有効性) or of what went
// wrong on the way; `{}` takes the error answer's code.
Message reason_for(OnlineReason reason) {
  switch (reason) {
    case OnlineReason::none:
      break;
    case OnlineReason::lost:
      return {"資格喪失", "Qualification lost"};
    case OnlineReason::replaced:
      return {"新しい資格があります", "A newer qualification exists"};
    case OnlineReason::not_found:
      return {"該当する資格なし", "No matching qualification"};
    case OnlineReason::several_found:
      return {"複数の資格が該当", "several records match"};
    case OnlineReason::error_answer:
      return {"エラー応答 {}", "error answer {}"};
    case OnlineReason::timed_out:
      return {"応答なし", "no answer"};
    case OnlineReason::request_failed:
      return {"照会を送れません", "request not sent"};
    case OnlineReason::not_asked:
      return {"照会できない内容", "cannot be asked"};
  }
  return {"", ""};
}

// 「エラー応答 EOQS0000」, or 「エラー応答」 when the answer gave no code.
std::string unavailable_reason(const online::OnlineStatus& status, Language language) {
  std::string reason = fill(in(reason_for(status.reason), language), {status.code});
  while (!reason.empty() && reason.back() == ' ') reason.pop_back();
  return reason;
}

}  // namespace

OnlineWording online_wording(const online::OnlineStatus& status, Language language) {
  OnlineWording out;
  const std::string_view headline = in(headline_for(status.state), language);
  out.headline = status.state == OnlineState::unavailable
                     ? fill(headline, {unavailable_reason(status, language)})
                     : std::string(headline);
  if (status.state == OnlineState::not_entitled)
    out.reason = std::string(in(reason_for(status.reason), language));
  out.action = std::string(in(action_for(status.state), language));
  return out;
}

std::string_view online_field_label(OnlineField field, Language language) {
  switch (field) {
    case OnlineField::ratio:
      return text(Text::label_ratio, language);
    case OnlineField::valid_until:
      return text(Text::label_valid_until, language);
    case OnlineField::relationship:
      return text(Text::label_relationship, language);
    case OnlineField::name:
      return text(Text::label_name, language);
    case OnlineField::birth_date:
      return text(Text::label_birth_date, language);
    case OnlineField::branch:
      return text(Text::label_branch, language);
  }
  return "";
}

std::string certificate_value(OnlineField field, const crypto::Certificate& certificate,
                              Language language) {
  switch (field) {
    case OnlineField::ratio:
      if (!certificate.ratio_tenths) return std::string(text(Text::not_printed, language));
      return fill(text(Text::ratio_tenths, language), {std::to_string(*certificate.ratio_tenths)});
    case OnlineField::valid_until:
      return base::iso_date(certificate.valid_until);
    case OnlineField::relationship:
      return std::string(text(certificate.relationship == crypto::Relationship::insured
                                  ? Text::relationship_insured
                                  : Text::relationship_dependent,
                              language));
    case OnlineField::name:
      return certificate.name;
    case OnlineField::birth_date:
      return base::iso_date(certificate.birth_date);
    case OnlineField::branch:
      return certificate.branch;
  }
  return "";
}

std::string national_value(OnlineField field, std::string_view raw, Language language) {
  switch (field) {
    case OnlineField::ratio:
      // 010 / 020 / 030: the tenths in the middle digit, shown as the certificate's is.
      if (raw.size() == 3 && raw[0] == '0' && raw[2] == '0' && raw[1] >= '1' && raw[1] <= '9')
        return fill(text(Text::ratio_tenths, language), {std::string(1, raw[1])});
      return std::string(raw);
    case OnlineField::valid_until:
    case OnlineField::birth_date:
      if (raw.size() == 8 && raw.find_first_not_of("0123456789") == std::string_view::npos) {
        return std::string(raw.substr(0, 4)) + "-" + std::string(raw.substr(4, 2)) + "-" +
               std::string(raw.substr(6, 2));
      }
      return std::string(raw);
    case OnlineField::relationship:
      if (raw == "1") return std::string(text(Text::relationship_insured, language));
      if (raw == "2") return std::string(text(Text::relationship_dependent, language));
      return std::string(raw);
    case OnlineField::name:
    case OnlineField::branch:
      return std::string(raw);
  }
  return std::string(raw);
}

std::string online_difference(const online::OnlineDifference& difference,
                              const crypto::Certificate& certificate, Language language) {
  // The answer may leave the field out: say so rather than show an empty value.
  const Message pattern = difference.national.empty()
                              ? Message{"{}: 国の回答に記載なし（資格確認書は {}）",
                                        "{}: not in the national record (certificate: {})"}
                              : Message{"{}: 国の回答は {}（資格確認書は {}）",
                                        "{}: national record says {} (certificate: {})"};
  const std::string mine = certificate_value(difference.field, certificate, language);
  const std::string_view label = online_field_label(difference.field, language);
  if (difference.national.empty()) return fill(in(pattern, language), {label, mine});
  return fill(in(pattern, language),
              {label, national_value(difference.field, difference.national, language), mine});
}

std::vector<std::string> online_difference_lines(const online::OnlineStatus& status,
                                                 const crypto::Certificate& certificate,
                                                 Language language, std::size_t max_lines) {
  const std::vector<online::OnlineDifference>& all = status.differences;
  const std::size_t lines = std::max<std::size_t>(1, max_lines);
  // Every line in full when they fit; otherwise all but the last in full and the
  // rest by name only: so many differences mean asking the patient anyway.
  const std::size_t full = all.size() <= lines ? all.size() : lines - 1;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < full; ++i)
    out.push_back(online_difference(all[i], certificate, language));
  if (full == all.size()) return out;
  std::string names;
  for (std::size_t i = full; i < all.size(); ++i) {
    if (!names.empty()) names += language == Language::japanese ? "、" : ", ";
    names += online_field_label(all[i].field, language);
  }
  out.push_back(fill(in({"ほかに違う項目: {}", "Also different: {}"}, language), {names}));
  return out;
}

}  // namespace kakunin::ui
