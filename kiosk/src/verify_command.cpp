#include "verify_command.h"

#include "trust_files.h"

#include <kakunin/base/clock.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/base/read_file.h>

#include <kakunin/drivers/qr_decode.h>
#include <kakunin/handoff/record.h>
#include <kakunin/ui/catalogue.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <memory>

namespace kakunin::kiosk {
namespace {

using nlohmann::ordered_json;

struct Outcome {
  std::string input;
  std::optional<crypto::VerifyResult> result;  // nullopt: no QR found in the image
  crypto::UnixSeconds checked_at = 0;
};

void print_json(const Outcome& outcome, std::ostream& out) {
  ordered_json line;
  line["input"] = outcome.input;
  if (!outcome.result) {
    line["verdict"] = nullptr;
    line["error"] = "no_qr_found";
    line["message_ja"] = "QRコードが見つかりませんでした。";
    line["message_en"] = "No QR code found in the image.";
  } else {
    const crypto::VerifyResult& r = *outcome.result;
    line["verdict"] = crypto::verdict_name(r.verdict());
    line["message_ja"] = ui::verdict_message(r.verdict(), ui::Language::japanese);
    line["message_en"] = ui::verdict_message(r.verdict(), ui::Language::english);
    if (!r.is_valid()) line["detail"] = r.detail();
    // The hand-off's own record (docs/handoff.md §2), for a valid result only; it
    // reaches stdout only because the operator asked for it.
    if (const auto* p = r.presentation())
      line["record"] = handoff::certificate_record(*p, outcome.checked_at);
  }
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void print_text(const Outcome& outcome, std::ostream& out) {
  out << outcome.input << ": ";
  if (!outcome.result) {
    out << "no QR code found\n";
    return;
  }
  const crypto::VerifyResult& r = *outcome.result;
  out << crypto::verdict_name(r.verdict()) << " — "
      << ui::verdict_message(r.verdict(), ui::Language::english) << '\n';
  if (!r.is_valid()) {
    out << "  reason: " << r.detail() << '\n';
    return;
  }
  const auto& p = *r.presentation();
  const auto& c = p.certificate;
  out << "  profile:   " << crypto::profile_name(p.profile) << (p.test_material ? " (TEST)" : "")
      << ", presented " << p.age_seconds << " s ago\n"
      << "  insurer:   " << c.insurer_number << " " << p.insurer_name << '\n'
      << "  symbol/number/branch: " << c.symbol.value_or("-") << " / " << c.number << " / "
      << c.branch << '\n'
      << "  name:      " << c.name << (c.name_kana ? " (" + *c.name_kana + ")" : "") << '\n'
      << "  born:      " << base::iso_date(c.birth_date) << '\n'
      << "  valid:     " << base::iso_date(c.issued) << " to " << base::iso_date(c.valid_until)
      << '\n';
}

int setup_error(std::ostream& err, const std::string& reason) {
  err << "kakunin: error: " << reason << '\n';
  return 2;
}

template <typename List>
std::optional<std::shared_ptr<const List>> load_list(const std::string& path, const char* what,
                                                     const crypto::PinnedKeys& pins,
                                                     std::string* error) {
  auto bytes = base::read_file_bytes(path, static_cast<std::size_t>(kMaxListFileBytes));
  if (!bytes.ok()) {
    *error = bytes.error().message;
    return std::nullopt;
  }
  auto loaded = List::load(std::move(bytes).value(), pins, crypto::HighWaterMark::nothing_seen());
  if (!loaded.ok()) {
    *error = std::string(what) + " " + path + " refused: " + loaded.error()->message;
    return std::nullopt;
  }
  return loaded.value();
}

}  // namespace

int run_verify(const VerifyOptions& options, std::ostream& out, std::ostream& err) {
  const bool test_mode = options.mode == "test";
  if (!test_mode && options.mode != "production") {
    return setup_error(err, "--mode must be test or production");
  }
  if (options.skip_freshness && !test_mode) {
    return setup_error(err, "--skip-freshness is only allowed with --mode test");
  }
  if (options.text.has_value() == !options.images.empty()) {
    return setup_error(err, "give either --text QR_TEXT or one or more image files");
  }
  std::string error;
  const auto pins = load_pinned_keys(options.pinned_key_paths, &error);
  if (!pins) return setup_error(err, error);
  const auto trust =
      load_list<crypto::TrustList>(options.trust_list_path, "trust list", *pins, &error);
  if (!trust) return setup_error(err, error);
  const auto revocations =
      load_list<crypto::RevocationList>(options.revocations_path, "revocation list", *pins, &error);
  if (!revocations) return setup_error(err, error);

  crypto::FreshnessPolicy::Settings freshness;
  freshness.skip_freshness_in_test_mode = options.skip_freshness;
  const crypto::Verifier verifier(*trust, *revocations,
                                  test_mode ? crypto::Mode::test : crypto::Mode::production,
                                  *crypto::FreshnessPolicy::from(freshness));
  const crypto::UnixSeconds now = options.now.value_or(base::system_clock().wall_now());

  std::vector<Outcome> outcomes;
  if (options.text) {
    outcomes.push_back({"text", verifier.verify(*options.text, now), now});
  }
  for (const auto& path : options.images) {
    const auto image = drivers::load_image(path, &error);
    if (!image) return setup_error(err, error);
    const auto found = drivers::decode(image->view());
    if (found.empty()) outcomes.push_back({path, std::nullopt, now});
    for (const auto& qr : found) outcomes.push_back({path, verifier.verify(qr.text, now), now});
  }

  bool all_valid = true;
  for (const auto& outcome : outcomes) {
    all_valid = all_valid && outcome.result && outcome.result->is_valid();
    options.json ? print_json(outcome, out) : print_text(outcome, out);
  }
  return all_valid ? 0 : 1;
}

}  // namespace kakunin::kiosk

namespace kakunin::kiosk {

Command add_verify_command(CLI::App& app) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* verify = app.add_subcommand(
      "verify", "Verify JHC1 QR codes (text or images) against a trust list and revocation list");
  verify->add_option("--trust-list", options->trust_list_path, "Signed trust list (trustlist.cose)")
      ->required();
  verify
      ->add_option("--revocations", options->revocations_path,
                   "Signed revocation list (revocations.cose)")
      ->required();
  verify
      ->add_option("--pinned-key", options->pinned_key_paths,
                   "PEM public key that signs trust lists (give the option once or twice)")
      ->required()
      ->allow_extra_args(false);  // one value per occurrence: a following image is not a key
  verify->add_option("--mode", options->mode, "production (default) or test")
      ->check(CLI::IsMember({"production", "test"}));
  verify->add_option("--now", options->now,
                     "Verify as of this Unix time (replaying field captures)");
  verify->add_flag("--skip-freshness", options->skip_freshness,
                   "Test mode only: accept printed sample sheets that cannot stay fresh");
  verify->add_flag("--json", options->json, "One JSON object per QR on its own line");
  verify->add_option("--text", options->text, "The QR text itself");
  verify->add_option("images", options->images, "PNG, JPEG or WebP images holding QR codes");
  return {verify, [options](std::ostream& out, std::ostream& err) {
            return run_verify(*options, out, err);
          }};
}

}  // namespace kakunin::kiosk
