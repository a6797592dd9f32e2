// §4: the `hic` map and the 保険者番号 check digit.
#include "presentation.h"

#include <algorithm>

namespace kakunin::crypto {
namespace {

bool all_ascii_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads the `hic` fields one by one, remembering the first problem.
class HicReader {
 public:
  HicReader(const cbor::Item& map, std::string* error) : map_(map), error_(error) {}

  bool ok() const { return ok_; }

  std::optional<std::string> text(std::string_view key, bool required) {
    const cbor::Item* item = map_.find(key);
    if (!item) return missing(key, required), std::nullopt;
    const auto value = item->as_text();
    if (!value || value->empty()) return invalid(key), std::nullopt;
    return std::string(*value);
  }

  std::optional<std::int64_t> integer(std::string_view key, bool required) {
    const cbor::Item* item = map_.find(key);
    if (!item) return missing(key, required), std::nullopt;
    const auto value = item->as_int64();
    if (!value) return invalid(key), std::nullopt;
    return value;
  }

  std::optional<std::int64_t> one_of(std::string_view key, bool required,
                                     std::initializer_list<std::int64_t> allowed) {
    const auto value = integer(key, required);
    if (value && std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
      return invalid(key), std::nullopt;
    }
    return value;
  }

  std::optional<CalendarDate> date(std::string_view key, bool required) {
    const auto value = integer(key, required);
    if (!value) return std::nullopt;
    const auto date = CalendarDate::from_yyyymmdd(*value);
    if (!date) invalid(key);
    return date;
  }

  void invalid(std::string_view key, std::string_view why = "value not allowed") {
    fail(std::string("hic.") + std::string(key) + ": " + std::string(why));
  }

 private:
  void missing(std::string_view key, bool required) {
    if (required) fail(std::string("hic.") + std::string(key) + ": required field missing");
  }
  void fail(std::string reason) {
    if (ok_ && error_) *error_ = std::move(reason);
    ok_ = false;
  }

  const cbor::Item& map_;
  std::string* error_;
  bool ok_ = true;
};

}  // namespace

bool is_valid_insurer_number(std::string_view digits) {
  if ((digits.size() != 8 && digits.size() != 6) || !all_ascii_digits(digits)) return false;
  int sum = 0;
  int weight = 2;
  for (std::size_t i = digits.size() - 1; i-- > 0;) {
    const int product = (digits[i] - '0') * weight;
    sum += product / 10 + product % 10;
    weight = weight == 2 ? 1 : 2;
  }
  return digits.back() - '0' == (10 - sum % 10) % 10;
}

std::optional<Certificate> parse_hic(const cbor::Item& hic, std::string* error) {
  if (hic.type != cbor::Type::map) {
    if (error) *error = "hic is not a map";
    return std::nullopt;
  }
  HicReader read(hic, error);
  Certificate cert;
  read.one_of("v", true, {1});
  if (auto ins = read.text("ins", true)) {
    if (!is_valid_insurer_number(*ins))
      read.invalid("ins", "not a valid 保険者番号 (digits or check digit)");
    cert.insurer_number = std::move(*ins);
  }
  cert.symbol = read.text("sym", false);
  if (auto num = read.text("num", true)) cert.number = std::move(*num);
  if (auto br = read.text("br", true)) {
    if (br->size() != 2 || !all_ascii_digits(*br)) read.invalid("br", "not two digits");
    cert.branch = std::move(*br);
  }
  if (auto nm = read.text("nm", true)) cert.name = std::move(*nm);
  cert.name_kana = read.text("nk", false);
  if (auto dob = read.date("dob", true)) cert.birth_date = *dob;
  if (auto sex = read.one_of("sex", true, {1, 2, 9})) cert.sex = static_cast<Sex>(*sex);
  if (auto rel = read.one_of("rel", true, {1, 2}))
    cert.relationship = static_cast<Relationship>(*rel);
  cert.acquired = read.date("acq", false);
  if (auto isd = read.date("isd", true)) cert.issued = *isd;
  if (auto vu = read.date("vu", true)) cert.valid_until = *vu;
  if (auto ratio = read.one_of("ratio", false, {1, 2, 3}))
    cert.ratio_tenths = static_cast<int>(*ratio);
  cert.limit_category = read.text("lim", false);
  const auto cat = read.one_of("cat", true, {1, 2});
  if (cat) cert.category = static_cast<IssueCategory>(*cat);
  const auto rsn = read.one_of("rsn", cat == 2, {1, 2, 3, 9});
  if (cat == 1 && rsn) read.invalid("rsn", "present although cat is 1");
  if (rsn) cert.reason = static_cast<int>(*rsn);
  if (!read.ok()) return std::nullopt;
  return cert;
}

}  // namespace kakunin::crypto
