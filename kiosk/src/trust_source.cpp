#include <kakunin/kiosk/trust_source.h>

namespace kakunin::kiosk {

ui::ListInfo list_info(const crypto::ListHeader& header) {
  return {header.sequence, header.issued_at, header.next_update};
}

TrustStatus given_lists_status(const crypto::TrustList& trust_list, const crypto::RevocationList& revocations) {
  TrustStatus status;
  status.usable = true;
  status.trust_list = list_info(trust_list.header());
  status.revocations = list_info(revocations.header());
  return status;
}

}  // namespace kakunin::kiosk
