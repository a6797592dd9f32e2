// Kakunin text catalogue: every string a person reads, in Japanese (the default,
// for reception staff) and English (logs, CLI, English-language kiosks).
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <string_view>

namespace kakunin::ui {

enum class Language { japanese, english };

// The staff-facing message for a verdict: what happened and what to do next.
std::string_view verdict_message(crypto::Verdict verdict, Language language);

}  // namespace kakunin::ui
