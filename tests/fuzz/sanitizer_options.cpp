// Linked into every fuzz target. The fuzz build compiles UBSan in its default
// recoverable mode (cmake/sanitizers.cmake), where a finding is only printed and
// the run goes on; a fuzzer must stop and keep the input instead.
extern "C" __attribute__((visibility("default"), used)) const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1";
}
