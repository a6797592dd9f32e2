// Kakunin configuration: one TOML file (/etc/kakunin/kakunin.toml when installed),
// parsed into plain value types that every other library takes as its settings.
// Every key, its default and what is allowed: docs/configuration.md.
//
// A broken file never yields a half-filled config: load_file() returns either a
// whole KioskConfig or every error found, each with its line and what is allowed.
//
//   config::LoadResult loaded = config::load_file(path);  // e.g. kDefaultConfigPath
//   if (auto* errors = std::get_if<std::vector<config::ConfigError>>(&loaded)) {
//     for (const auto& e : *errors) err << config::format_error(e, path) << '\n';
//     return refuse_to_start();
//   }
//   const config::KioskConfig& config = std::get<config::KioskConfig>(loaded);
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kakunin::config {

// The language of every screen and message (the catalogue, kakunin/ui/catalogue.h,
// names it ui::Language: the same type).
enum class Language { japanese, english };

struct KioskSettings {
  std::string id = "kakunin-1";  // names this kiosk in the audit log and hand-off
  // The verifier's own mode: test mode accepts TEST lists and shows a banner.
  crypto::Mode mode = crypto::Mode::production;
  Language language = Language::japanese;
  int result_seconds = 20;  // a result stays on screen this long, then idle
  bool fullscreen = true;
  int window_width = 1280;  // when not fullscreen
  int window_height = 800;
};

// JHC1 §9, kiosk policy.
struct FreshnessSettings {
  int max_age_seconds = 30;
  int max_ahead_seconds = 10;
  int list_grace_days = 7;
  // Test mode only: accept printed sample sheets (then every screen says so).
  bool skip_for_printed_sheets = false;
};

// Trust-list and revocation-list sync (JHC1 §6, §7).
struct TrustSettings {
  std::vector<std::filesystem::path> pinned_keys = {"/etc/kakunin/trustlist-signing.pub.pem"};
  std::filesystem::path state_dir = "/var/lib/kakunin/trust";  // the held lists
  std::string trust_list_url;  // https:// or file://; empty: no sync
  std::string revocations_url;
  int interval_minutes = 60;
  int connect_timeout_seconds = 10;
  int total_timeout_seconds = 60;
  int retries = 4;  // per sync round, with backoff and jitter
  int backoff_initial_seconds = 2;
  int backoff_max_seconds = 300;
  std::int64_t max_bytes = 64LL * 1024 * 1024;  // a bigger download is refused
  std::filesystem::path ca_file;                // empty: the system CAs
  std::string public_key_pin;  // "sha256//BASE64" (curl's pinned public key); empty: none
  std::string proxy;           // e.g. "http://proxy.clinic.local:8080"; empty: none
  std::string no_proxy;
};

struct ClockSettings {
  int max_offset_seconds = 5;  // warn when the sync server's Date differs by more
  bool check_adjtimex = true;  // warn when the kernel says the clock is unsynchronised
};

enum class CaptureKind { camera, serial_scanner, hid_scanner, image_folder, video_file };
enum class KeyboardLayout { us, jis };

struct CaptureSettings {
  CaptureKind kind = CaptureKind::camera;
  std::string device = "/dev/video0";  // camera, tty or /dev/input/eventN; folder or file path
  int width = 1280;
  int height = 720;
  int fps = 30;
  bool mjpg = true;
  bool autofocus = true;
  int focus = -1;     // manual focus value when autofocus is off; -1: leave
  int exposure = -1;  // manual exposure; -1: automatic
  int baud = 9600;    // serial scanners
  KeyboardLayout keyboard_layout = KeyboardLayout::us;  // HID scanners
};

struct AudioSettings {
  bool enabled = true;
  int volume_percent = 60;
};

struct AuditSettings {
  std::filesystem::path database = "/var/lib/kakunin/audit.sqlite";
  std::filesystem::path secret_file = "/var/lib/kakunin/audit.key";  // per-kiosk HMAC key
  int retention_days = 1096;                                         // 3 years (療担規則 9条)
};

enum class HandoffTrigger { automatic, staff };
enum class XmlEncoding { utf8, shift_jis };

struct HandoffSettings {
  bool enabled = false;
  HandoffTrigger trigger = HandoffTrigger::staff;
  std::filesystem::path xml_dir;  // the レセコン's `res` folder; empty: no XML
  XmlEncoding xml_encoding = XmlEncoding::utf8;
  std::filesystem::path json_dir;  // empty: no JSON
  std::string post_url;            // http://127.0.0.1:PORT/...; empty: no POST
  std::filesystem::path outbox_dir = "/var/lib/kakunin/outbox";  // POST retry queue
  int post_timeout_seconds = 5;
};

// オンライン資格確認 through the clinic's 資格確認端末 (docs/online.md): after a valid
// verdict the kiosk drops an OQSsiquc01req request into the terminal's `req` folder
// and reads the 連携アプリ's answer from `res`. Off by default.
struct OnlineSettings {
  bool enabled = false;
  std::filesystem::path req_dir;             // the terminal's request folder (often a share)
  std::filesystem::path res_dir;             // the terminal's result folder
  XmlEncoding encoding = XmlEncoding::utf8;  // what the 連携アプリ is set to read and write
  int timeout_seconds = 8;                   // the patient is at the counter: seconds, not minutes
  std::string medical_institution_code;  // 10 digits (都道府県2 + 点数表1 + 医療機関7)
  // A vendor's own request layout (docs/online.md); empty: the built-in one.
  std::filesystem::path request_template;
};

// Fleet metrics: a Prometheus text file for node_exporter's textfile collector,
// rewritten atomically every interval (docs/install.md). Off by default.
struct MetricsSettings {
  bool enabled = false;
  // Must end in .prom (the collector reads only those), in its --collector.textfile.directory.
  std::filesystem::path textfile_path = "/var/lib/prometheus/node-exporter/kakunin.prom";
  int interval_seconds = 60;
};

struct LogSettings {
  std::string level = "info";  // error, warn, info, debug
};

struct KioskConfig {
  KioskSettings kiosk;
  FreshnessSettings freshness;
  TrustSettings trust;
  ClockSettings clock;
  CaptureSettings capture;
  AudioSettings audio;
  AuditSettings audit;
  HandoffSettings handoff;
  OnlineSettings online;
  MetricsSettings metrics;
  LogSettings log;
};

inline constexpr const char* kDefaultConfigPath = "/etc/kakunin/kakunin.toml";

struct ConfigError {
  int line = 0;         // 1-based; 0 when the error is about the whole file
  std::string key;      // "trust.interval_minutes"
  std::string message;  // English: what is wrong and what is allowed
};

// Either a whole config or every error found.
using LoadResult = std::variant<KioskConfig, std::vector<ConfigError>>;

// Reads and checks the file (at most 1 MiB). A missing or unreadable file is an
// error too: the kiosk never falls back to built-in defaults silently.
LoadResult load_file(const std::filesystem::path& path);
LoadResult load_text(std::string_view toml_text, std::string_view source_name = "config");

// "FILE:LINE: key: message" (LINE and key left out when not known), as the CLI
// and `kakunin run` print it.
std::string format_error(const ConfigError& error, std::string_view source_name);

// Every key the parser knows, as "section.key", in the order of the file.
// docs/configuration.md and packaging/kakunin.toml are tested against it.
std::vector<std::string> known_keys();

// The configuration as a TOML file, every key with its effective value (defaults
// filled in). Secrets are masked: a proxy URL's user:password becomes "***".
// to_toml() of a valid config loads back to the same config.
std::string to_toml(const KioskConfig& config);

}  // namespace kakunin::config
