// The demo counter's 資格確認端末: the sample toolkit's simulator (kakunin-sample
// terminal) answering from the demo's roster in a private temp folder, so
// kakunin-demo shows the whole オンライン資格確認 loop — request written, national
// answer read, shown on the valid card — with nothing to set up.
#pragma once

#include "demo_world.h"

#include <kakunin/config/config.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

namespace kakunin::sample {
class TerminalSimulator;
}

namespace kakunin::demo {

class DemoTerminal {
 public:
  // nullptr (and `error` says why) when the temp folders cannot be made.
  static std::unique_ptr<DemoTerminal> start(const DemoWorld& world, std::string* error);
  ~DemoTerminal();  // stops the simulator and removes the folders
  DemoTerminal(const DemoTerminal&) = delete;
  DemoTerminal& operator=(const DemoTerminal&) = delete;

  // [online] as a kiosk at this counter would have it.
  config::OnlineSettings settings() const;

 private:
  DemoTerminal(std::filesystem::path root, std::unique_ptr<sample::TerminalSimulator> simulator);
  std::filesystem::path root_;
  std::unique_ptr<sample::TerminalSimulator> simulator_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace kakunin::demo
