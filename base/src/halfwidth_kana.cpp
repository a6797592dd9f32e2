// Written by hand: the project's libraries (iconv, nlohmann-json) have no width
// folding, and ICU's transliterator would be a large dependency for one fixed table
// of 90 katakana; the table below is the whole of JIS X 0201's katakana half.
#include <kakunin/base/halfwidth_kana.h>

#include <kakunin/base/utf8.h>

#include <array>

namespace kakunin::base {
namespace {

constexpr char32_t kFirstKatakana = 0x30A1;  // ァ
constexpr char32_t kLastKatakana = 0x30FA;   // ヺ

// Half-width forms of U+30A1 ァ .. U+30FA ヺ, in code point order.
constexpr std::array<const char*, kLastKatakana - kFirstKatakana + 1> kHalfwidth = {
    "ｧ", "ｱ", "ｨ", "ｲ", "ｩ", "ｳ", "ｪ", "ｴ", "ｫ", "ｵ",            // ァ..オ
    "ｶ", "ｶﾞ", "ｷ", "ｷﾞ", "ｸ", "ｸﾞ", "ｹ", "ｹﾞ", "ｺ", "ｺﾞ",       // カ..ゴ
    "ｻ", "ｻﾞ", "ｼ", "ｼﾞ", "ｽ", "ｽﾞ", "ｾ", "ｾﾞ", "ｿ", "ｿﾞ",       // サ..ゾ
    "ﾀ", "ﾀﾞ", "ﾁ", "ﾁﾞ", "ｯ", "ﾂ", "ﾂﾞ", "ﾃ", "ﾃﾞ", "ﾄ", "ﾄﾞ",  // タ..ド
    "ﾅ", "ﾆ", "ﾇ", "ﾈ", "ﾉ",                                     // ナ..ノ
    "ﾊ", "ﾊﾞ", "ﾊﾟ", "ﾋ", "ﾋﾞ", "ﾋﾟ", "ﾌ", "ﾌﾞ", "ﾌﾟ",           // ハ..プ
    "ﾍ", "ﾍﾞ", "ﾍﾟ", "ﾎ", "ﾎﾞ", "ﾎﾟ",                            // ヘ..ポ
    "ﾏ", "ﾐ", "ﾑ", "ﾒ", "ﾓ",                                     // マ..モ
    "ｬ", "ﾔ", "ｭ", "ﾕ", "ｮ", "ﾖ",                                // ャ..ヨ
    "ﾗ", "ﾘ", "ﾙ", "ﾚ", "ﾛ",                                     // ラ..ロ
    // ヮ ヰ ヱ ヵ ヶ have no half-width form; the nearest sound is what 受付 types.
    "ﾜ", "ﾜ", "ｲ", "ｴ", "ｦ", "ﾝ",  // ヮ..ン
    "ｳﾞ", "ｶ", "ｹ",                // ヴ ヵ ヶ
    "ﾜﾞ", "ｲﾞ", "ｴﾞ", "ｦﾞ",        // ヷ..ヺ
};

constexpr char32_t kHiraganaToKatakana = 0x60;  // ぁ U+3041 -> ァ U+30A1

// The half-width form of one character that is not in the katakana table, or 0.
char32_t halfwidth_symbol(char32_t cp) {
  switch (cp) {
    case 0x3000:
      return U' ';  // ideographic space
    case 0x3001:
      return 0xFF64;  // 、 -> ､
    case 0x3002:
      return 0xFF61;  // 。 -> ｡
    case 0x300C:
      return 0xFF62;  // 「 -> ｢
    case 0x300D:
      return 0xFF63;  // 」 -> ｣
    case 0x30FB:
      return 0xFF65;  // ・ -> ･
    case 0x30FC:
      return 0xFF70;  // ー -> ｰ
    case 0x309B:
    case 0x3099:
      return 0xFF9E;  // ゛ and combining dakuten -> ﾞ
    case 0x309C:
    case 0x309A:
      return 0xFF9F;  // ゜ and combining handakuten -> ﾟ
    default:
      break;
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFF01 + U'!';  // full-width ASCII
  return 0;
}

}  // namespace

std::optional<std::string> to_halfwidth_kana(std::string_view utf8) {
  const auto code_points = base::decode_utf8(utf8);
  if (!code_points) return std::nullopt;
  std::string out;
  out.reserve(utf8.size());
  for (char32_t cp : *code_points) {
    if (cp >= 0x3041 && cp <= 0x3096) cp += kHiraganaToKatakana;  // hiragana
    if (cp >= kFirstKatakana && cp <= kLastKatakana) {
      out += kHalfwidth[cp - kFirstKatakana];
    } else if (const char32_t symbol = halfwidth_symbol(cp); symbol != 0) {
      base::append_utf8(out, symbol);
    } else {
      base::append_utf8(out, cp);
    }
  }
  return out;
}

}  // namespace kakunin::base
