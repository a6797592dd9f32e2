// Fuzzes what lands in the 資格確認端末's `res` folder (anyone who can write to the
// share controls it) and, with the first byte's bit 1, a vendor's request template.
// First byte bit 0: the terminal's encoding (UTF-8 / Shift_JIS). The rest is the file.
#include <kakunin/base/utf8.h>
#include <kakunin/signer/signer.h>

#include <cstdint>
#include <string_view>

#include "compare.h"
#include "request_template.h"
#include "result_file.h"

namespace {

using namespace kakunin;

void check(bool invariant) {
  if (!invariant) __builtin_trap();
}

void fuzz_result(std::string_view bytes, config::XmlEncoding encoding) {
  static const online::AskedFor asked{"0123456789abcdef", "06139992", "1234567", "見本記号"};
  static const crypto::Certificate certificate = signer::sample_certificate("06139992");
  auto answer = online::parse_result_file(bytes, encoding, asked);
  if (!answer.ok()) {
    check(!answer.error().message.empty());
    return;
  }
  // An accepted answer is ours, in UTF-8, and always says something final.
  check(base::is_valid_utf8(answer.value().document));
  check(bytes.size() <= online::kMaxResultBytes);
  const online::OnlineStatus status = online::compare_with_certificate(certificate, answer.value());
  check(status.final());
  check(status.differences.empty() || status.state == online::OnlineState::mismatch);
}

void fuzz_template(std::string_view text, config::XmlEncoding encoding) {
  auto parsed = online::RequestTemplate::parse(text);
  if (!parsed.ok()) return;
  auto rendered = parsed.value().render({{"file_identifier", "0123456789abcdef"},
                                         {"insurer_number", "06139992"},
                                         {"number", "1<2&3"},
                                         {"birth_date", "19800401"}},
                                        encoding);
  (void)rendered;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto encoding = (data[0] & 1) ? config::XmlEncoding::shift_jis : config::XmlEncoding::utf8;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 2) {
    fuzz_template(rest, encoding);
  } else {
    fuzz_result(rest, encoding);
  }
  return 0;
}
