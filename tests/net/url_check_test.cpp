// The one URL check: which schemes are allowed where, and URLs as they are logged.
#include <kakunin/net/net.h>

#include <gtest/gtest.h>

namespace kakunin::net {
namespace {

// The problem's text, or "" when the URL may be used.
std::string problem(std::string_view url, UrlUse use) { return check_url(url, use).value_or(""); }

TEST(UrlCheck, ListSourcesAreHttpsOrLocalFiles) {
  EXPECT_EQ(problem("https://lists.example.jp/jhc1/trustlist.cose", UrlUse::list_source), "");
  EXPECT_EQ(problem("HTTPS://lists.example.jp/trustlist.cose", UrlUse::list_source), "");
  EXPECT_EQ(problem("file:///media/usb/trustlist.cose", UrlUse::list_source), "");
  EXPECT_EQ(problem("file://localhost/media/usb/trustlist.cose", UrlUse::list_source), "");

  EXPECT_NE(problem("http://lists.example.jp/trustlist.cose", UrlUse::list_source)
                .find("http:// is refused for trust lists"),
            std::string::npos);
  EXPECT_NE(problem("ftp://lists.example.jp/x", UrlUse::list_source)
                .find("the scheme 'ftp' is not allowed"),
            std::string::npos);
  EXPECT_NE(problem("file://server/share/x", UrlUse::list_source).find("must name a local file"),
            std::string::npos);
  EXPECT_NE(problem("lists.example.jp/x", UrlUse::list_source).find("is not a URL"),
            std::string::npos);
  EXPECT_NE(problem("https://lists.example.jp/a b", UrlUse::list_source).find("is not a URL"),
            std::string::npos);
  EXPECT_NE(problem("https://kiosk:pw@lists.example.jp/x", UrlUse::list_source)
                .find("user name or password"),
            std::string::npos);
  EXPECT_EQ(problem("", UrlUse::list_source), "no URL given");
}

TEST(UrlCheck, HandOffEndpointsStayOnThisMachineUnlessRemoteIsAllowed) {
  for (const char* url : {"http://127.0.0.1:8080/kakunin", "http://127.1.2.3/x", "https://[::1]/x",
                          "http://localhost/x"}) {
    EXPECT_EQ(problem(url, UrlUse::local_endpoint), "") << url;
  }
  for (const char* url : {"http://192.0.2.10/handoff", "http://example.com/handoff",
                          "http://127.0.0.1.example.com/handoff"}) {
    EXPECT_NE(problem(url, UrlUse::local_endpoint).find("is not this machine"), std::string::npos)
        << url;
    EXPECT_EQ(problem(url, UrlUse::remote_endpoint), "") << url;
  }
  for (const char* url : {"ftp://127.0.0.1/x", "file:///tmp/x", "not a url"}) {
    EXPECT_NE(problem(url, UrlUse::local_endpoint), "") << url;
    EXPECT_NE(problem(url, UrlUse::remote_endpoint), "") << url;
  }
}

TEST(UrlCheck, ProxiesNeedAKnownSchemeAndAHost) {
  EXPECT_FALSE(check_proxy_url("http://proxy.clinic.local:8080"));
  EXPECT_FALSE(check_proxy_url("socks5h://10.0.0.1:1080"));
  EXPECT_TRUE(check_proxy_url("proxy.clinic.local:8080"));
  EXPECT_TRUE(check_proxy_url("ftp://proxy.clinic.local"));
}

TEST(UrlForLog, DropsUserPasswordQueryAndFragment) {
  EXPECT_EQ(url_for_log("https://a:b@host:1/p?q=1#f"), "https://host:1/p");
  EXPECT_EQ(url_for_log("https://host/p?token=s3cret"), "https://host/p");
  EXPECT_EQ(url_for_log("file:///media/usb/trustlist.cose"), "file:///media/usb/trustlist.cose");
  EXPECT_EQ(url_for_log("not a url?x"), "not a url");
}

TEST(UrlForLog, ConfigShowMasksOnlyTheCredentials) {
  EXPECT_EQ(url_with_masked_credentials("http://user:pw@proxy:8080/"), "http://***@proxy:8080/");
  EXPECT_EQ(url_with_masked_credentials("http://proxy:8080/"), "http://proxy:8080/");
}

TEST(HttpDate, ParsesTheThreeHttpDateForms) {
  const base::UnixSeconds expected = 784111777;  // 1994-11-06 08:49:37 UTC, RFC 7231's example
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
  EXPECT_FALSE(parse_http_date("yesterday-ish"));
  EXPECT_FALSE(parse_http_date(""));
}

}  // namespace
}  // namespace kakunin::net
