#include "sample_server.h"

#include "qr_png.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>

#include <chrono>
#include <cstdio>

namespace kakunin::sample {
namespace {

using crypto::Profile;
using crypto::UnixSeconds;

std::string html_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// JSON for a <script> block: "</" would end the script early.
std::string script_json(const nlohmann::json& value) {
  std::string text = value.dump();
  for (std::size_t at = 0; (at = text.find("</", at)) != std::string::npos; at += 3)
    text.replace(at, 2, "<\\/");
  return text;
}

std::string japanese_date(const crypto::CalendarDate& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

constexpr const char* kStyle = R"css(
body{margin:0;font-family:"Noto Sans CJK JP","Hiragino Sans",sans-serif;background:#f2f4f7;color:#1e1e28}
header{background:#123e6e;color:#fff;text-align:center;font-weight:bold;font-size:22px;padding:18px 0}
.banner{background:#ffe1dc;color:#c82828;text-align:center;font-weight:bold;font-size:13px;padding:6px}
main{max-width:430px;margin:0 auto;padding:12px 16px}
.card{background:#fff;border:1px solid #d7dce1;padding:12px;text-align:center}
.insurer{color:#646e6e;font-size:14px}.name{font-size:24px;font-weight:bold}.kana{color:#646e6e;font-size:12px}
#qr{width:min(330px,84vw);margin:8px auto;background:#fff}#qr svg{width:100%;height:auto;display:block}
.note,.date,.profile{color:#646e6e;font-size:12px}#status{color:#c82828;font-weight:bold}
#clock{font-size:52px;font-weight:bold;text-align:center;font-variant-numeric:tabular-nums;margin-top:8px}
.date{text-align:center;font-size:15px}dl{font-size:14px;margin:8px 12px}dt{float:left;width:6.5em;color:#646e6e}
dd{margin:0 0 4px 6.5em}
.watermark{position:fixed;top:72%;left:50%;transform:translate(-50%,-50%) rotate(-35deg);font-size:64px;
font-weight:bold;color:rgba(200,40,40,.22);white-space:nowrap;pointer-events:none;z-index:3}
#qr{position:relative;z-index:4}
ul{list-style:none;padding:0}li{background:#fff;border:1px solid #d7dce1;margin:8px 0;padding:10px}
a{color:#123e6e}
)css";

constexpr const char* kPageScript = R"js(
const clock = document.getElementById('clock'), date = document.getElementById('date');
const qr = document.getElementById('qr'), status = document.getElementById('status');
const countdown = document.getElementById('countdown');
const time = new Intl.DateTimeFormat('ja-JP', {timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit',
                                                second: '2-digit', hour12: false});
const day = new Intl.DateTimeFormat('ja-JP', {timeZone: 'Asia/Tokyo', dateStyle: 'full'});
let nextAt = 0;
function tick() {
  const now = new Date();
  clock.textContent = time.format(now);
  date.textContent = day.format(now);
  countdown.textContent = nextAt ? Math.max(1, Math.ceil((nextAt - now.getTime()) / 1000)) : '-';
}
async function refresh() {
  try {
    const response = await fetch('/api/presentation?member=' + encodeURIComponent(PAGE.member) +
                                 '&profile=' + PAGE.profile, {cache: 'no-store'});
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const p = await response.json();
    qr.innerHTML = p.svg;  // made by this server from the QR text, never from input
    for (const key of ['insurer_name', 'name', 'kana', 'insurer_number', 'symbol_number', 'valid_until']) {
      document.getElementById(key).textContent = p[key] || '';
    }
    status.textContent = '';
    nextAt = Date.now() + PAGE.refresh * 1000;
  } catch (e) {
    // Never leave an old QR on screen: the kiosk would refuse it as stale anyway.
    qr.innerHTML = '';
    status.textContent = 'QRを取得できません / cannot fetch a fresh QR (' + e.message + ')';
    nextAt = 0;
  }
}
refresh();
setInterval(refresh, PAGE.refresh * 1000);
setInterval(tick, 250);
tick();
)js";

std::string page_head(const std::string& title) {
  return "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
         "<meta name=\"robots\" content=\"noindex\"><title>" +
         html_escape(title) + "</title><style>" + kStyle + "</style></head><body>";
}

std::optional<Profile> profile_named(const std::string& name) {
  if (name.empty() || name == "issuer") return Profile::issuer_signed;
  if (name == "holder") return Profile::holder_bound;
  return std::nullopt;
}

void no_store(httplib::Response& res) { res.set_header("Cache-Control", "no-store"); }

void error_json(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  no_store(res);
  res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

}  // namespace

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

std::optional<ListenAddress> parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port_text = text.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const int port = std::stoi(port_text);
  if (port < 1 || port > 65535) return std::nullopt;
  return ListenAddress{host, port};
}

struct SampleServer::Impl {
  SampleWorld world;
  int refresh_seconds;
  const base::Clock* clock = nullptr;  // outlives the server
  httplib::Server server;
  bool bound = false;

  const SampleMember* find_member(const std::string& id) const {
    for (const auto& m : world.members) {
      if (m.id == id) return &m;
    }
    return nullptr;
  }

  void picker(httplib::Response& res) const {
    std::string html =
        page_head("見本 資格確認書【web】") +
        "<header>資格確認書【web】</header><div class=\"banner\">見本 SAMPLE — テスト用</div><main>"
        "<p>表示する見本の会員を選んでください / choose a sample member:</p><ul>";
    for (const auto& m : world.members) {
      const std::string id = html_escape(m.id);
      html += "<li><b>" + html_escape(m.certificate.name) + "</b> (" + id;
      html += ")<br><span class=\"insurer\">" +
              html_escape(world.insurer(m.certificate.insurer_number).name);
      html += "</span><br><a href=\"/member?id=" + id;
      html += "&amp;profile=issuer\">保険者署名 / issuer page</a> · <a href=\"/member?id=" + id;
      html += "&amp;profile=holder\">スマートフォン鍵 / holder page</a></li>";
    }
    html +=
        "</ul><p class=\"note\">TEST material only: a production kiosk refuses every "
        "code.</p></main></body></html>";
    no_store(res);
    res.set_content(html, "text/html; charset=utf-8");
  }

  void member_page(const SampleMember& m, Profile profile, httplib::Response& res) const {
    const nlohmann::json page{{"member", m.id},
                              {"profile", std::string(crypto::profile_name(profile))},
                              {"refresh", refresh_seconds}};
    std::string html =
        page_head("資格確認書【web】 見本") +
        "<header>資格確認書【web】</header><div class=\"banner\">見本 SAMPLE — "
        "テスト用（実際の受付には"
        "使えません）</div><div class=\"watermark\">見本 SAMPLE</div><main><div class=\"card\">"
        "<div class=\"insurer\" id=\"insurer_name\"></div><div class=\"name\" id=\"name\"></div>"
        "<div class=\"kana\" id=\"kana\"></div><div id=\"qr\"></div><div id=\"status\"></div>"
        "<div class=\"note\">QRは" +
        std::to_string(refresh_seconds) +
        "秒ごとに更新されます（あと<span id=\"countdown\">-</span>秒）</div></div>"
        "<div id=\"clock\"></div><div class=\"date\" id=\"date\"></div><dl>"
        "<dt>保険者番号</dt><dd id=\"insurer_number\"></dd><dt>記号・番号</dt><dd "
        "id=\"symbol_number\"></dd>"
        "<dt>有効期限</dt><dd id=\"valid_until\"></dd></dl><div class=\"profile\">" +
        (profile == Profile::issuer_signed ? "保険者署名（オンライン表示）"
                                           : "スマートフォン鍵で署名（アプリ表示）") +
        "</div></main><script>const PAGE = " + script_json(page) + ";" + kPageScript +
        "</script></body></html>";
    no_store(res);
    res.set_content(html, "text/html; charset=utf-8");
  }

  nlohmann::json presentation(const SampleMember& m, Profile profile) const {
    const UnixSeconds now = clock->wall_now();
    const std::string text = world.present(m.id, profile, now);
    const auto& c = m.certificate;
    return {{"member", m.id},
            {"profile", std::string(crypto::profile_name(profile))},
            {"presented_at", now},
            {"refresh_seconds", refresh_seconds},
            {"text", text},
            {"svg", qr_svg(encode_qr(text))},
            {"name", c.name},
            {"kana", c.name_kana.value_or("")},
            {"insurer_number", c.insurer_number},
            {"insurer_name", world.insurer(c.insurer_number).name},
            {"symbol_number", (c.symbol ? *c.symbol + "・" : std::string()) + c.number + "（枝番 " +
                                  c.branch + "）"},
            {"valid_until", japanese_date(c.valid_until)},
            {"test", true}};
  }

  // The member and profile a request names, or an error response already set.
  std::optional<std::pair<const SampleMember*, Profile>> target(const httplib::Request& req,
                                                                const char* id_param,
                                                                httplib::Response& res) const {
    const SampleMember* m = find_member(req.get_param_value(id_param));
    if (!m) {
      error_json(res, 404, "no such member in roster.toml");
      return std::nullopt;
    }
    const auto profile = profile_named(req.get_param_value("profile"));
    if (!profile) {
      error_json(res, 400, "profile must be issuer or holder");
      return std::nullopt;
    }
    return std::make_pair(m, *profile);
  }

  void routes() {
    server.Get("/", [this](const httplib::Request&, httplib::Response& res) { picker(res); });
    server.Get("/member", [this](const httplib::Request& req, httplib::Response& res) {
      if (const auto t = target(req, "id", res)) member_page(*t->first, t->second, res);
    });
    server.Get("/api/presentation", [this](const httplib::Request& req, httplib::Response& res) {
      if (const auto t = target(req, "member", res)) {
        no_store(res);
        res.set_content(presentation(*t->first, t->second).dump(), "application/json");
      }
    });
    server.Get("/qr.svg", [this](const httplib::Request& req, httplib::Response& res) {
      if (const auto t = target(req, "member", res)) {
        no_store(res);
        res.set_content(
            qr_svg(encode_qr(world.present(t->first->id, t->second, clock->wall_now()))),
            "image/svg+xml");
      }
    });
    // A broken key file or roster edit mid-run gives a clear 500, not a dropped connection.
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
          std::string reason = "internal error";
          try {
            if (ep) std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            reason = e.what();
          } catch (...) {
          }
          error_json(res, 500, reason);
        });
  }
};

SampleServer::SampleServer(SampleWorld world, int refresh_seconds, const base::Clock& clock)
    : impl_(std::make_unique<Impl>()) {
  if (refresh_seconds < 1 || refresh_seconds > 300) {
    throw std::runtime_error(
        "--refresh must be 1 to 300 seconds (a presentation lives at most 300 s)");
  }
  impl_->world = std::move(world);
  impl_->refresh_seconds = refresh_seconds;
  impl_->clock = &clock;
  impl_->routes();
}

SampleServer::~SampleServer() { stop(); }

std::optional<int> SampleServer::bind(const std::string& host, int port, std::string* error) {
  int bound = port;
  if (port == 0) {
    bound = impl_->server.bind_to_any_port(host);
  } else if (!impl_->server.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    if (error) {
      *error = "cannot listen on " + host + ":" + std::to_string(port) +
               " (in use, or not an address of this machine)";
    }
    return std::nullopt;
  }
  impl_->bound = true;
  return bound;
}

bool SampleServer::run() { return impl_->bound && impl_->server.listen_after_bind(); }

void SampleServer::stop() {
  if (impl_) impl_->server.stop();
}

}  // namespace kakunin::sample
