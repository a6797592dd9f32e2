// What the screens show of the trust material: the lists' headers and whether
// they can verify now. `kakunin run` reports its held, synced lists this way;
// kakunin-demo and the benchmarks report lists made once at start.
//
//   machine.trust_status(kiosk::given_lists_status(*trust_list, *revocations));
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/kiosk/state_machine.h>

namespace kakunin::kiosk {

// A list's sequence, issue time and next update, for the status page.
ui::ListInfo list_info(const crypto::ListHeader& header);

// Lists given once, already loaded against a pinned key: usable, never stale.
TrustStatus given_lists_status(const crypto::TrustList& trust_list, const crypto::RevocationList& revocations);

}  // namespace kakunin::kiosk
