#include <kakunin/sync/sync.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace kakunin::sync {

std::string_view trust_state_name(TrustState state) {
  switch (state) {
    case TrustState::usable:
      return "usable";
    case TrustState::stale_warning:
      return "stale_warning";
    case TrustState::unusable:
      return "unusable";
  }
  return "unusable";
}

std::string_view list_kind_name(ListKind kind) {
  return kind == ListKind::trust_list ? "trust list" : "revocation list";
}

std::string_view held_file_name(ListKind kind) {
  return kind == ListKind::trust_list ? "trustlist.cose" : "revocations.cose";
}

std::string_view list_result_name(ListOutcome::Result result) {
  switch (result) {
    case ListOutcome::Result::updated:
      return "updated";
    case ListOutcome::Result::unchanged:
      return "unchanged";
    case ListOutcome::Result::refused:
      return "refused";
    case ListOutcome::Result::failed:
      return "failed";
    case ListOutcome::Result::not_configured:
      return "not_configured";
  }
  return "failed";
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt,
                                        double unit_random) {
  using std::chrono::milliseconds;
  const double cap = static_cast<double>(std::max(policy.max.count(), milliseconds::rep{0}));
  const double exponent = std::clamp(attempt - 1, 0, 62);
  const double full =
      std::min(cap, static_cast<double>(std::max(policy.initial.count(), milliseconds::rep{0})) *
                        std::pow(2.0, exponent));
  const double jitter = std::clamp(unit_random, 0.0, 1.0);
  return milliseconds(static_cast<milliseconds::rep>(full / 2 + full / 2 * jitter));
}

std::optional<std::string> refusal_for_mode(const crypto::ListHeader& header, crypto::Mode mode) {
  if (mode == crypto::Mode::production && header.test) {
    return "it is a TEST list and this kiosk runs in production mode";
  }
  return std::nullopt;
}

TrustStore::TrustStore(crypto::Mode mode, crypto::FreshnessPolicy policy)
    : mode_(mode), policy_(policy) {
  publish(nullptr, nullptr);
}

TrustSnapshot TrustStore::snapshot() const {
  std::lock_guard lock(mutex_);
  return *current_;
}

// Writers are serialised so two replacements cannot lose one another; readers only
// ever wait for a pointer copy and see the old or the new pair, never a mix.
void TrustStore::set_trust_list(std::shared_ptr<const crypto::TrustList> list) {
  std::lock_guard writer(writer_mutex_);
  publish(std::move(list), snapshot().revocations);
}

void TrustStore::set_revocations(std::shared_ptr<const crypto::RevocationList> list) {
  std::lock_guard writer(writer_mutex_);
  publish(snapshot().trust_list, std::move(list));
}

void TrustStore::publish(std::shared_ptr<const crypto::TrustList> trust,
                         std::shared_ptr<const crypto::RevocationList> revocations) {
  auto verifier = std::make_shared<const crypto::Verifier>(trust, revocations, mode_, policy_);
  auto next = std::make_shared<const TrustSnapshot>(
      TrustSnapshot{std::move(trust), std::move(revocations), std::move(verifier)});
  std::lock_guard lock(mutex_);
  current_ = std::move(next);
}

namespace {

TrustState state_of(const crypto::ListHeader& header, UnixSeconds now,
                    const crypto::FreshnessPolicy& policy) {
  if (now <= header.next_update) return TrustState::usable;
  // The verifier's own rule, so `unusable` here and no_trust_list always agree.
  if (crypto::list_within_grace(header, now, policy)) return TrustState::stale_warning;
  return TrustState::unusable;
}

}  // namespace

TrustState TrustStore::state(UnixSeconds now) const {
  const TrustSnapshot s = snapshot();
  if (!s.trust_list || !s.revocations) return TrustState::unusable;
  return std::max(state_of(s.trust_list->header(), now, policy_),
                  state_of(s.revocations->header(), now, policy_));
}

}  // namespace kakunin::sync
