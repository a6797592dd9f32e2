// kakunin-sample: a TEST issuer for field tests. See sample_cli.cpp and
// docs/sample-toolkit.md.
#include "sample_cli.h"

#include <iostream>

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return kakunin::sample::run_sample_cli(args, std::cout, std::cerr);
}
