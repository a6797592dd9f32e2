// Full-width katakana (and hiragana) -> half-width katakana, as the NameKana element
// of オンライン資格確認 result files carries it (ﾐﾎﾝ ﾀﾛｳ, ｶﾞ as ｶ + ﾞ).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kakunin::base {

// Converts katakana and hiragana to half-width katakana, splitting voiced and
// semi-voiced sounds into base + ﾞ / ﾟ (ガ -> ｶﾞ, パ -> ﾊﾟ, ヴ -> ｳﾞ); ー, 。「」、・,
// ゛゜, the ideographic space and full-width ASCII become their half-width forms.
// Everything else passes unchanged. nullopt when `utf8` is not well-formed UTF-8.
std::optional<std::string> to_halfwidth_kana(std::string_view utf8);

}  // namespace kakunin::base
