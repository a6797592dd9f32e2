// `kakunin-sample serve`: the member's certificate page over HTTP, for a real
// phone's browser during field tests. Plain HTTP (see docs/sample-toolkit.md):
// the page needs no secure-context browser API, and the material is sample data.
//
//   GET /                          member picker
//   GET /member?id=ID&profile=P    the certificate page (P: issuer or holder)
//   GET /api/presentation?member=ID&profile=P
//                                  a fresh presentation: {"text", "svg", ...}
//   GET /qr.svg?member=ID&profile=P  a fresh presentation as an SVG image
#pragma once

#include "sample_world.h"

#include <kakunin/base/clock.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace kakunin::sample {

// True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine reaches.
bool is_loopback(const std::string& host);

// "127.0.0.1:8080" -> host and port; nullopt when the port is not 1..65535.
struct ListenAddress {
  std::string host;
  int port = 0;
};
std::optional<ListenAddress> parse_listen(const std::string& text);

class SampleServer {
 public:
  // `clock` signs presentations; it must outlive the server.
  SampleServer(SampleWorld world, int refresh_seconds,
               const base::Clock& clock = base::system_clock());
  ~SampleServer();
  SampleServer(const SampleServer&) = delete;
  SampleServer& operator=(const SampleServer&) = delete;

  // Binds the socket; port 0 picks a free one. Returns the bound port, or
  // nullopt with `error` set.
  std::optional<int> bind(const std::string& host, int port, std::string* error);
  // Serves until stop() (from any thread). Returns false when not bound.
  bool run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakunin::sample
