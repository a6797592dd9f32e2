#include <kakunin/kiosk/cli.h>

#include <malloc.h>

#include <iostream>

int main(int argc, char** argv) {
  // glibc gives each thread that allocates its own arena (up to 8 per core), and
  // memory freed in one is not reused by another. Two arenas: kakunin run peaked
  // at 67.7 MiB instead of 70.5 MiB (kakunin-bench e2e --quick, camera-sized
  // photos). Frame buffers are reused, so the threads allocate rarely and two
  // arenas cost no measurable contention.
  mallopt(M_ARENA_MAX, 2);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return kakunin::kiosk::run_cli(args, std::cout, std::cerr);
}
