// A real HTTPS (or HTTP) server on loopback for the net and sync tests (cpp-httplib
// with OpenSSL), with a test CA and server certificate made when the tests start.
// GET and POST requests of any path go to the one handler.
#pragma once

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace kakunin::testing {

// A CA and a server certificate for 127.0.0.1 / localhost issued by it, as PEM
// files in `dir`.
struct TestPki {
  std::filesystem::path ca_file;
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
  std::string server_key_pin;  // curl's "sha256//BASE64" of the server's public key

  static TestPki make(const std::filesystem::path& dir, const std::string& name);
};

// httplib::Server or SSLServer listening on 127.0.0.1 on a free port, serving
// from a background thread until destroyed.
class TestServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  static std::unique_ptr<TestServer> https(const TestPki& pki, Handler handler);
  static std::unique_ptr<TestServer> http(Handler handler);
  ~TestServer();

  int port() const { return port_; }
  std::string url(const std::string& path) const;
  int requests() const { return requests_.load(); }

 private:
  TestServer(std::unique_ptr<httplib::Server> server, Handler handler, bool tls);
  std::unique_ptr<httplib::Server> server_;
  Handler handler_;
  bool tls_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace kakunin::testing
