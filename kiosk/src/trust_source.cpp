#include <kakunin/kiosk/trust_source.h>

#include <limits>

namespace kakunin::kiosk {

ui::ListInfo list_info(const crypto::ListHeader& header, const crypto::FreshnessPolicy& policy) {
  // The verifier's rule (crypto::list_within_grace): usable up to next_update + grace.
  constexpr crypto::UnixSeconds kLatest = std::numeric_limits<crypto::UnixSeconds>::max();
  const std::int64_t grace = policy.list_grace_seconds();
  const crypto::UnixSeconds stops =
      header.next_update > kLatest - grace ? kLatest : header.next_update + grace;
  return {header.sequence, header.issued_at, header.next_update, stops};
}

FixedTrust::FixedTrust(std::shared_ptr<const crypto::TrustList> trust_list,
                       std::shared_ptr<const crypto::RevocationList> revocations, crypto::Mode mode)
    : trust_list_(std::move(trust_list)),
      revocations_(std::move(revocations)),
      verifier_(std::make_shared<const crypto::Verifier>(trust_list_, revocations_, mode)) {}

TrustStatus FixedTrust::status(crypto::UnixSeconds) const {
  TrustStatus status;
  status.usable = trust_list_ && revocations_;
  // The policy its verifier was made with (the default one).
  const crypto::FreshnessPolicy policy;
  if (trust_list_) status.trust_list = list_info(trust_list_->header(), policy);
  if (revocations_) status.revocations = list_info(revocations_->header(), policy);
  return status;
}

}  // namespace kakunin::kiosk
