#include <kakunin/kiosk/trust_source.h>

namespace kakunin::kiosk {

ui::ListInfo list_info(const crypto::ListHeader& header) {
  return {header.sequence, header.issued_at, header.next_update};
}

FixedTrust::FixedTrust(std::shared_ptr<const crypto::TrustList> trust_list,
                       std::shared_ptr<const crypto::RevocationList> revocations, crypto::Mode mode)
    : trust_list_(std::move(trust_list)),
      revocations_(std::move(revocations)),
      verifier_(std::make_shared<const crypto::Verifier>(trust_list_, revocations_, mode)) {}

TrustStatus FixedTrust::status(crypto::UnixSeconds) const {
  TrustStatus status;
  status.usable = trust_list_ && revocations_;
  if (trust_list_) status.trust_list = list_info(trust_list_->header());
  if (revocations_) status.revocations = list_info(revocations_->header());
  return status;
}

}  // namespace kakunin::kiosk
