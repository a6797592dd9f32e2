// Reading an OQSsiquc01res result file the 連携アプリ wrote, strictly: bounded size,
// depth and element count; no DOCTYPE, no entities but XML's five, no network;
// only the terminal's configured encoding; the answer must echo the request's
// ArbitraryFileIdentifier and be about the certificate asked for. Anything else is
// refused with an English reason (no personal data) and changes nothing.
#pragma once

#include <kakunin/base/result.h>
#include <kakunin/config/config.h>
#include <kakunin/online/online.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace kakunin::online {

// What the request asked, to tell our answer from another request's.
struct AskedFor {
  std::string file_identifier;  // ArbitraryFileIdentifier of the request
  std::string insurer_number;   // as in the request (8 characters)
  std::string number;           // 被保険者等番号
  std::string symbol;           // empty when the certificate has none
};

inline constexpr std::size_t kMaxResultBytes = 256 * 1024;  // real answers are ~5 KiB
inline constexpr int kMaxResultDepth = 8;  // XmlMsg/MessageBody/ResultList/... is 5
inline constexpr int kMaxResultElements = 4000;

// Parses `bytes` (the whole file) as the answer to `asked`. The answer keeps
// `bytes` and the file's name for the hand-off.
base::Result<NationalAnswer> parse_result_file(std::string_view bytes, config::XmlEncoding encoding,
                                               const AskedFor& asked);

}  // namespace kakunin::online
