// The national answer against the signed certificate: what the valid card shows.
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/online/online.h>
#include <kakunin/online/status.h>

namespace kakunin::online {

// confirmed / mismatch (which fields) / not_entitled / unavailable, from an answer
// parse_result_file() accepted.
OnlineStatus compare_with_certificate(const crypto::Certificate& certificate,
                                      const NationalAnswer& answer);

}  // namespace kakunin::online
