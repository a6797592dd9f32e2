// libkakunin_fault_shim.so: an LD_PRELOAD library that makes file system calls on
// paths under one folder hang, fail or slow down, the way a hung NFS/SMB share, a
// dying USB stick or a full disk behaves. Every setting comes from the environment
// (tests/faults/README.md); with KAKUNIN_FAULT_DIR unset the shim does nothing.
//
//   export KAKUNIN_FAULT_DIR=/tmp/share KAKUNIN_FAULT_OPS=fsync KAKUNIN_FAULT_ACTION=hang
//   export KAKUNIN_FAULT_WHILE=/tmp/share-down      # hung while this file exists
//   LD_PRELOAD=build/tests/faults/libkakunin_fault_shim.so program ...
//
// Calls that take a path are matched by that path (relative ones resolved against
// the working folder or the folder descriptor); calls that take a descriptor are
// matched when the descriptor was opened here under the folder. Calls glibc makes
// internally (e.g. fopen's own open, opendir's) do not pass through the shim.
// Written in C so it drags no C++ runtime into the programs it is loaded into.
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum {
  OP_OPEN = 1 << 0,
  OP_READ = 1 << 1,
  OP_WRITE = 1 << 2,
  OP_FSYNC = 1 << 3,
  OP_STAT = 1 << 4,
  OP_RENAME = 1 << 5,
  OP_UNLINK = 1 << 6,
  OP_MKDIR = 1 << 7,
  OP_CLOSE = 1 << 8,
  OP_ALL = (1 << 9) - 1,
};

static const struct {
  const char* name;
  int op;
} kOps[] = {{"open", OP_OPEN},     {"read", OP_READ},     {"write", OP_WRITE},
            {"fsync", OP_FSYNC},   {"stat", OP_STAT},     {"rename", OP_RENAME},
            {"unlink", OP_UNLINK}, {"mkdir", OP_MKDIR},   {"close", OP_CLOSE},
            {"all", OP_ALL}};

static const struct {
  const char* name;
  int value;
} kErrnos[] = {{"EIO", EIO},       {"ENOSPC", ENOSPC},   {"EACCES", EACCES}, {"EPERM", EPERM},
               {"EROFS", EROFS},   {"ENOENT", ENOENT},   {"EDQUOT", EDQUOT}, {"ESTALE", ESTALE},
               {"EINVAL", EINVAL}, {"ETIMEDOUT", ETIMEDOUT}, {"EAGAIN", EAGAIN},
               {"EHOSTDOWN", EHOSTDOWN}};

enum Action { ACTION_HANG, ACTION_FAIL, ACTION_DELAY };

static struct {
  int enabled;
  char dir[PATH_MAX];       // as given
  char real_dir[PATH_MAX];  // realpath() of it, when it existed at start
  int ops;
  enum Action action;
  int error_number;
  long delay_ms;
  int folder_only;            // KAKUNIN_FAULT_SCOPE=folder: the folder itself, not what is in it
  char while_file[PATH_MAX];  // empty: the fault is always active
  char log_file[PATH_MAX];    // empty: no log
} config;

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

// Descriptors opened under the folder, so write/fsync/close on them are matched.
#define TRACKED_FDS 65536
static atomic_uchar tracked[TRACKED_FDS];

static void copy_string(char* out, const char* in) {
  if (in == NULL) {
    out[0] = '\0';
    return;
  }
  strncpy(out, in, PATH_MAX - 1);
  out[PATH_MAX - 1] = '\0';
}

static int parse_ops(const char* text) {
  if (text == NULL || *text == '\0') return OP_ALL;
  int ops = 0;
  char buffer[256];
  strncpy(buffer, text, sizeof buffer - 1);
  buffer[sizeof buffer - 1] = '\0';
  char* saved = NULL;
  for (char* word = strtok_r(buffer, ", ", &saved); word; word = strtok_r(NULL, ", ", &saved)) {
    for (size_t i = 0; i < sizeof kOps / sizeof kOps[0]; ++i) {
      if (strcmp(word, kOps[i].name) == 0) ops |= kOps[i].op;
    }
  }
  return ops;
}

static int parse_errno(const char* text) {
  if (text == NULL || *text == '\0') return EIO;
  for (size_t i = 0; i < sizeof kErrnos / sizeof kErrnos[0]; ++i) {
    if (strcmp(text, kErrnos[i].name) == 0) return kErrnos[i].value;
  }
  const int number = atoi(text);
  return number > 0 ? number : EIO;
}

static void load_config(void) {
  const char* dir = getenv("KAKUNIN_FAULT_DIR");
  if (dir == NULL || *dir == '\0') return;
  copy_string(config.dir, dir);
  size_t length = strlen(config.dir);
  while (length > 1 && config.dir[length - 1] == '/') config.dir[--length] = '\0';
  if (realpath(config.dir, config.real_dir) == NULL) config.real_dir[0] = '\0';
  config.ops = parse_ops(getenv("KAKUNIN_FAULT_OPS"));
  const char* action = getenv("KAKUNIN_FAULT_ACTION");
  config.action = action && strcmp(action, "fail") == 0    ? ACTION_FAIL
                  : action && strcmp(action, "delay") == 0 ? ACTION_DELAY
                                                           : ACTION_HANG;
  config.error_number = parse_errno(getenv("KAKUNIN_FAULT_ERRNO"));
  const char* delay = getenv("KAKUNIN_FAULT_DELAY_MS");
  config.delay_ms = delay ? atol(delay) : 1000;
  const char* scope = getenv("KAKUNIN_FAULT_SCOPE");
  config.folder_only = scope && strcmp(scope, "folder") == 0;
  copy_string(config.while_file, getenv("KAKUNIN_FAULT_WHILE"));
  copy_string(config.log_file, getenv("KAKUNIN_FAULT_LOG"));
  config.enabled = 1;
}

static int enabled(void) {
  pthread_once(&config_once, load_config);
  return config.enabled;
}

static int under(const char* path, const char* dir) {
  const size_t length = strlen(dir);
  if (length == 0 || strncmp(path, dir, length) != 0) return 0;
  size_t end = length;
  if (config.folder_only) {
    while (path[end] == '/') ++end;  // "dir/" is still the folder itself
    return path[end] == '\0';
  }
  return path[end] == '\0' || path[end] == '/' || (length == 1 && dir[0] == '/');
}

// The absolute form of `path` as seen from `dirfd` (AT_FDCWD: the working folder).
static void absolute(int dirfd, const char* path, char* out) {
  if (path[0] == '/') {
    copy_string(out, path);
    return;
  }
  char base[PATH_MAX] = "";
  if (dirfd == AT_FDCWD) {
    if (getcwd(base, sizeof base) == NULL) base[0] = '\0';
  } else {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
    const ssize_t n = readlink(link, base, sizeof base - 1);
    base[n > 0 ? n : 0] = '\0';
  }
  const int n = snprintf(out, PATH_MAX, "%s/%s", base, path);
  if (n < 0 || n >= PATH_MAX) out[0] = '\0';  // too long to be ours: never matches
}

static int matches_path(int dirfd, const char* path) {
  if (path == NULL || !enabled()) return 0;
  char full[PATH_MAX];
  absolute(dirfd, path, full);
  return under(full, config.dir) || (config.real_dir[0] && under(full, config.real_dir));
}

static int matches_fd(int fd) {
  return fd >= 0 && fd < TRACKED_FDS && enabled() && atomic_load(&tracked[fd]);
}

static void track(int fd, int on) {
  if (fd >= 0 && fd < TRACKED_FDS) atomic_store(&tracked[fd], (unsigned char)on);
}

// The fault is on while KAKUNIN_FAULT_WHILE names a file that exists (always, when unset).
// A raw system call: the shim must not see its own checks.
static int active(void) {
  if (config.while_file[0] == '\0') return 1;
  return syscall(SYS_faccessat, AT_FDCWD, config.while_file, F_OK) == 0;
}

static void note(const char* what, const char* op, const char* target) {
  if (config.log_file[0] == '\0') return;
  char line[PATH_MAX + 64];
  const int n = snprintf(line, sizeof line, "%s %s %s\n", what, op, target);
  const int fd = (int)syscall(SYS_openat, AT_FDCWD, config.log_file,
                              O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (n > 0) syscall(SYS_write, fd, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
  syscall(SYS_close, fd);
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

// Applies the configured fault to one matched call. Returns 0 when the real call
// should run now, -1 (errno set) when it should fail.
static int inject(int op, const char* op_name, const char* target) {
  if (!(config.ops & op) || !active()) return 0;
  const int saved_errno = errno;
  switch (config.action) {
    case ACTION_FAIL:
      note("fail", op_name, target);
      errno = config.error_number;
      return -1;
    case ACTION_DELAY:
      note("delay", op_name, target);
      sleep_ms(config.delay_ms);
      break;
    case ACTION_HANG:
      note("hang", op_name, target);
      while (active()) sleep_ms(5);
      note("resume", op_name, target);
      break;
  }
  errno = saved_errno;
  return 0;
}

static int inject_path(int op, const char* op_name, int dirfd, const char* path) {
  if (!matches_path(dirfd, path)) return 0;
  char full[PATH_MAX];
  absolute(dirfd, path, full);
  return inject(op, op_name, full);
}

static int inject_fd(int op, const char* op_name, int fd) {
  if (!matches_fd(fd)) return 0;
  char target[32];
  snprintf(target, sizeof target, "fd:%d", fd);
  return inject(op, op_name, target);
}

#define REAL(name) real_##name
#define DECLARE_REAL(ret, name, ...)                                      \
  static ret (*REAL(name))(__VA_ARGS__);                                  \
  static ret (*load_##name(void))(__VA_ARGS__) {                          \
    if (REAL(name) == NULL) *(void**)(&REAL(name)) = dlsym(RTLD_NEXT, #name); \
    return REAL(name);                                                    \
  }

static int wants_mode(int flags) {
  return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
}

// ---------------------------------------------------------------- open --

DECLARE_REAL(int, open, const char*, int, ...)
DECLARE_REAL(int, open64, const char*, int, ...)
DECLARE_REAL(int, openat, int, const char*, int, ...)
DECLARE_REAL(int, openat64, int, const char*, int, ...)
DECLARE_REAL(int, __open_2, const char*, int)
DECLARE_REAL(int, __open64_2, const char*, int)
DECLARE_REAL(int, __openat_2, int, const char*, int)
DECLARE_REAL(int, __openat64_2, int, const char*, int)
DECLARE_REAL(int, creat, const char*, mode_t)
DECLARE_REAL(int, creat64, const char*, mode_t)
DECLARE_REAL(FILE*, fopen, const char*, const char*)
DECLARE_REAL(FILE*, fopen64, const char*, const char*)
DECLARE_REAL(DIR*, opendir, const char*)
DECLARE_REAL(int, closedir, DIR*)

// Sets the mark either way: a descriptor number closed where the shim cannot see it
// (closedir after fdopendir, fclose) and reused for another file must not stay marked.
static int after_open(int fd, int dirfd, const char* path) {
  if (fd >= 0) track(fd, matches_path(dirfd, path));
  return fd;
}

#define OPEN_BODY(real_call, dirfd, path)                              \
  if (inject_path(OP_OPEN, "open", dirfd, path) != 0) return -1;       \
  return after_open(real_call, dirfd, path)

#define MODE_ARG(flags)                   \
  mode_t mode = 0;                        \
  if (wants_mode(flags)) {                \
    va_list args;                         \
    va_start(args, flags);                \
    mode = (mode_t)va_arg(args, int);     \
    va_end(args);                         \
  }

int open(const char* path, int flags, ...) {
  MODE_ARG(flags);
  OPEN_BODY(load_open()(path, flags, mode), AT_FDCWD, path);
}
int open64(const char* path, int flags, ...) {
  MODE_ARG(flags);
  OPEN_BODY(load_open64()(path, flags, mode), AT_FDCWD, path);
}
int openat(int dirfd, const char* path, int flags, ...) {
  MODE_ARG(flags);
  OPEN_BODY(load_openat()(dirfd, path, flags, mode), dirfd, path);
}
int openat64(int dirfd, const char* path, int flags, ...) {
  MODE_ARG(flags);
  OPEN_BODY(load_openat64()(dirfd, path, flags, mode), dirfd, path);
}
int __open_2(const char* path, int flags) { OPEN_BODY(load___open_2()(path, flags), AT_FDCWD, path); }
int __open64_2(const char* path, int flags) {
  OPEN_BODY(load___open64_2()(path, flags), AT_FDCWD, path);
}
int __openat_2(int dirfd, const char* path, int flags) {
  OPEN_BODY(load___openat_2()(dirfd, path, flags), dirfd, path);
}
int __openat64_2(int dirfd, const char* path, int flags) {
  OPEN_BODY(load___openat64_2()(dirfd, path, flags), dirfd, path);
}
int creat(const char* path, mode_t mode) { OPEN_BODY(load_creat()(path, mode), AT_FDCWD, path); }
int creat64(const char* path, mode_t mode) { OPEN_BODY(load_creat64()(path, mode), AT_FDCWD, path); }

FILE* fopen(const char* path, const char* how) {
  if (inject_path(OP_OPEN, "open", AT_FDCWD, path) != 0) return NULL;
  return load_fopen()(path, how);
}
FILE* fopen64(const char* path, const char* how) {
  if (inject_path(OP_OPEN, "open", AT_FDCWD, path) != 0) return NULL;
  return load_fopen64()(path, how);
}
DIR* opendir(const char* path) {
  if (inject_path(OP_OPEN, "open", AT_FDCWD, path) != 0) return NULL;
  return load_opendir()(path);
}
// libstdc++ opens folders with openat() and hands the descriptor to fdopendir():
// it is closed in here, not through close().
int closedir(DIR* dir) {
  track(dirfd(dir), 0);
  return load_closedir()(dir);
}

// ------------------------------------------------ descriptor operations --

DECLARE_REAL(ssize_t, read, int, void*, size_t)
DECLARE_REAL(ssize_t, pread, int, void*, size_t, off_t)
DECLARE_REAL(ssize_t, pread64, int, void*, size_t, off64_t)
DECLARE_REAL(ssize_t, readv, int, const struct iovec*, int)
DECLARE_REAL(ssize_t, write, int, const void*, size_t)
DECLARE_REAL(ssize_t, pwrite, int, const void*, size_t, off_t)
DECLARE_REAL(ssize_t, pwrite64, int, const void*, size_t, off64_t)
DECLARE_REAL(ssize_t, writev, int, const struct iovec*, int)
DECLARE_REAL(int, ftruncate, int, off_t)
DECLARE_REAL(int, ftruncate64, int, off64_t)
DECLARE_REAL(int, fallocate, int, int, off_t, off_t)
DECLARE_REAL(int, fsync, int)
DECLARE_REAL(int, fdatasync, int)
DECLARE_REAL(int, syncfs, int)
DECLARE_REAL(int, close, int)

ssize_t read(int fd, void* buffer, size_t count) {
  if (inject_fd(OP_READ, "read", fd) != 0) return -1;
  return load_read()(fd, buffer, count);
}
ssize_t pread(int fd, void* buffer, size_t count, off_t offset) {
  if (inject_fd(OP_READ, "read", fd) != 0) return -1;
  return load_pread()(fd, buffer, count, offset);
}
ssize_t pread64(int fd, void* buffer, size_t count, off64_t offset) {
  if (inject_fd(OP_READ, "read", fd) != 0) return -1;
  return load_pread64()(fd, buffer, count, offset);
}
ssize_t readv(int fd, const struct iovec* vector, int count) {
  if (inject_fd(OP_READ, "read", fd) != 0) return -1;
  return load_readv()(fd, vector, count);
}
ssize_t write(int fd, const void* buffer, size_t count) {
  if (inject_fd(OP_WRITE, "write", fd) != 0) return -1;
  return load_write()(fd, buffer, count);
}
ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset) {
  if (inject_fd(OP_WRITE, "write", fd) != 0) return -1;
  return load_pwrite()(fd, buffer, count, offset);
}
ssize_t pwrite64(int fd, const void* buffer, size_t count, off64_t offset) {
  if (inject_fd(OP_WRITE, "write", fd) != 0) return -1;
  return load_pwrite64()(fd, buffer, count, offset);
}
ssize_t writev(int fd, const struct iovec* vector, int count) {
  if (inject_fd(OP_WRITE, "write", fd) != 0) return -1;
  return load_writev()(fd, vector, count);
}
int ftruncate(int fd, off_t length) {
  if (inject_fd(OP_WRITE, "write", fd) != 0) return -1;
  return load_ftruncate()(fd, length);
}
int ftruncate64(int fd, off64_t length) {
  if (inject_fd(OP_WRITE, "write", fd) != 0) return -1;
  return load_ftruncate64()(fd, length);
}
int fallocate(int fd, int mode, off_t offset, off_t length) {
  if (inject_fd(OP_WRITE, "write", fd) != 0) return -1;
  return load_fallocate()(fd, mode, offset, length);
}
int fsync(int fd) {
  if (inject_fd(OP_FSYNC, "fsync", fd) != 0) return -1;
  return load_fsync()(fd);
}
int fdatasync(int fd) {
  if (inject_fd(OP_FSYNC, "fsync", fd) != 0) return -1;
  return load_fdatasync()(fd);
}
int syncfs(int fd) {
  if (inject_fd(OP_FSYNC, "fsync", fd) != 0) return -1;
  return load_syncfs()(fd);
}
int close(int fd) {
  const int matched = matches_fd(fd);
  if (matched && inject_fd(OP_CLOSE, "close", fd) != 0) {
    // As close(2) reports a late write error: the descriptor is gone all the same.
    const int saved_errno = errno;
    track(fd, 0);
    load_close()(fd);
    errno = saved_errno;
    return -1;
  }
  if (matched) track(fd, 0);
  return load_close()(fd);
}

// ------------------------------------------------------ path operations --

DECLARE_REAL(int, stat, const char*, struct stat*)
DECLARE_REAL(int, stat64, const char*, struct stat64*)
DECLARE_REAL(int, lstat, const char*, struct stat*)
DECLARE_REAL(int, lstat64, const char*, struct stat64*)
DECLARE_REAL(int, fstatat, int, const char*, struct stat*, int)
DECLARE_REAL(int, fstatat64, int, const char*, struct stat64*, int)
DECLARE_REAL(int, statx, int, const char*, int, unsigned int, struct statx*)
DECLARE_REAL(int, access, const char*, int)
DECLARE_REAL(int, faccessat, int, const char*, int, int)
DECLARE_REAL(int, rename, const char*, const char*)
DECLARE_REAL(int, renameat, int, const char*, int, const char*)
DECLARE_REAL(int, renameat2, int, const char*, int, const char*, unsigned int)
DECLARE_REAL(int, link, const char*, const char*)
DECLARE_REAL(int, linkat, int, const char*, int, const char*, int)
DECLARE_REAL(int, unlink, const char*)
DECLARE_REAL(int, unlinkat, int, const char*, int)
DECLARE_REAL(int, rmdir, const char*)
DECLARE_REAL(int, remove, const char*)
DECLARE_REAL(int, mkdir, const char*, mode_t)
DECLARE_REAL(int, mkdirat, int, const char*, mode_t)

#define PATH_CALL(op, name, dirfd, path, real_call)             \
  if (inject_path(op, name, dirfd, path) != 0) return -1;       \
  return real_call

#define TWO_PATH_CALL(op, name, dirfd1, path1, dirfd2, path2, real_call)                 \
  if (inject_path(op, name, dirfd1, path1) != 0 || inject_path(op, name, dirfd2, path2) != 0) \
    return -1;                                                                            \
  return real_call

int stat(const char* path, struct stat* out) {
  PATH_CALL(OP_STAT, "stat", AT_FDCWD, path, load_stat()(path, out));
}
int stat64(const char* path, struct stat64* out) {
  PATH_CALL(OP_STAT, "stat", AT_FDCWD, path, load_stat64()(path, out));
}
int lstat(const char* path, struct stat* out) {
  PATH_CALL(OP_STAT, "stat", AT_FDCWD, path, load_lstat()(path, out));
}
int lstat64(const char* path, struct stat64* out) {
  PATH_CALL(OP_STAT, "stat", AT_FDCWD, path, load_lstat64()(path, out));
}
int fstatat(int dirfd, const char* path, struct stat* out, int flags) {
  PATH_CALL(OP_STAT, "stat", dirfd, path, load_fstatat()(dirfd, path, out, flags));
}
int fstatat64(int dirfd, const char* path, struct stat64* out, int flags) {
  PATH_CALL(OP_STAT, "stat", dirfd, path, load_fstatat64()(dirfd, path, out, flags));
}
int statx(int dirfd, const char* path, int flags, unsigned int mask, struct statx* out) {
  PATH_CALL(OP_STAT, "stat", dirfd, path, load_statx()(dirfd, path, flags, mask, out));
}
int access(const char* path, int how) {
  PATH_CALL(OP_STAT, "stat", AT_FDCWD, path, load_access()(path, how));
}
int faccessat(int dirfd, const char* path, int how, int flags) {
  PATH_CALL(OP_STAT, "stat", dirfd, path, load_faccessat()(dirfd, path, how, flags));
}
int rename(const char* from, const char* to) {
  TWO_PATH_CALL(OP_RENAME, "rename", AT_FDCWD, from, AT_FDCWD, to, load_rename()(from, to));
}
int renameat(int from_dir, const char* from, int to_dir, const char* to) {
  TWO_PATH_CALL(OP_RENAME, "rename", from_dir, from, to_dir, to,
                load_renameat()(from_dir, from, to_dir, to));
}
int renameat2(int from_dir, const char* from, int to_dir, const char* to, unsigned int flags) {
  TWO_PATH_CALL(OP_RENAME, "rename", from_dir, from, to_dir, to,
                load_renameat2()(from_dir, from, to_dir, to, flags));
}
int link(const char* from, const char* to) {
  TWO_PATH_CALL(OP_RENAME, "rename", AT_FDCWD, from, AT_FDCWD, to, load_link()(from, to));
}
int linkat(int from_dir, const char* from, int to_dir, const char* to, int flags) {
  TWO_PATH_CALL(OP_RENAME, "rename", from_dir, from, to_dir, to,
                load_linkat()(from_dir, from, to_dir, to, flags));
}
int unlink(const char* path) {
  PATH_CALL(OP_UNLINK, "unlink", AT_FDCWD, path, load_unlink()(path));
}
int unlinkat(int dirfd, const char* path, int flags) {
  PATH_CALL(OP_UNLINK, "unlink", dirfd, path, load_unlinkat()(dirfd, path, flags));
}
int rmdir(const char* path) { PATH_CALL(OP_UNLINK, "unlink", AT_FDCWD, path, load_rmdir()(path)); }
int remove(const char* path) {
  PATH_CALL(OP_UNLINK, "unlink", AT_FDCWD, path, load_remove()(path));
}
int mkdir(const char* path, mode_t mode) {
  PATH_CALL(OP_MKDIR, "mkdir", AT_FDCWD, path, load_mkdir()(path, mode));
}
int mkdirat(int dirfd, const char* path, mode_t mode) {
  PATH_CALL(OP_MKDIR, "mkdir", dirfd, path, load_mkdirat()(dirfd, path, mode));
}
