#include <kakunin/kiosk/cli.h>

#include <iostream>

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return kakunin::kiosk::run_cli(args, std::cout, std::cerr);
}
