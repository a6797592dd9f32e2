#include <kakunin/kiosk/cli.h>

#include <malloc.h>

#include <iostream>

int main(int argc, char** argv) {
  // glibc gives each thread that allocates its own arena (up to 8 per core), and
  // memory freed in one is not reused by another: with the capture, decode, sync
  // and hand-off threads each holding frame-sized blocks, the kiosk peaked at
  // 109 MiB where two arenas peak at 91 MiB (kakunin-bench e2e, kakunin run with
  // camera-sized frames). The threads allocate rarely (frame buffers are reused),
  // so two arenas cost no measurable contention.
  mallopt(M_ARENA_MAX, 2);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return kakunin::kiosk::run_cli(args, std::cout, std::cerr);
}
