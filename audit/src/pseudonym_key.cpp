#include "pseudonym_key.h"

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/unique_fd.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace kakunin::audit::detail {
namespace {

std::string system_error(const std::string& what) { return what + ": " + std::strerror(errno); }

// Writes a fresh key that never replaces an existing one (base's IfExists::keep):
// another process starting at the same moment either sees no key or the whole key,
// and when it won the race its key is the one in place.
bool create_key_file(const std::filesystem::path& path, std::string* error) {
  Digest key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    *error = "no random bytes for the pseudonym key";
    return false;
  }
  const base::Status written =
      base::write_file_atomically(path, key, {.mode = 0600, .if_exists = base::IfExists::keep});
  OPENSSL_cleanse(key.data(), key.size());
  if (written.ok() || written.error().os_error == EEXIST) return true;
  *error = written.error().message;
  return false;
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

std::optional<PseudonymKey> PseudonymKey::load_or_create(const std::filesystem::path& path,
                                                         std::string* error) {
  int raw_fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (raw_fd < 0 && errno == ENOENT) {
    if (!create_key_file(path, error)) return std::nullopt;
    raw_fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  }
  if (raw_fd < 0) {
    *error = system_error("cannot open the pseudonym key " + path.string());
    return std::nullopt;
  }
  const base::UniqueFd fd(raw_fd);
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) {
    *error = system_error("cannot stat " + path.string());
    return std::nullopt;
  }
  if (!S_ISREG(status.st_mode)) {
    *error = "the pseudonym key " + path.string() + " is not a regular file";
    return std::nullopt;
  }
  if ((status.st_mode & 077) != 0) {
    *error = "the pseudonym key " + path.string() + " has permissions " +
             octal_mode(status.st_mode) + "; it must be readable by its owner only (chmod 600 " +
             path.string() + ")";
    return std::nullopt;
  }
  if (status.st_uid != ::geteuid()) {
    *error = "the pseudonym key " + path.string() + " belongs to uid " +
             std::to_string(status.st_uid) + ", not to this user (uid " +
             std::to_string(::geteuid()) + ")";
    return std::nullopt;
  }
  PseudonymKey key;
  ssize_t got = 0;
  do {
    got = ::read(fd.get(), key.key_.data(), key.key_.size());
  } while (got < 0 && errno == EINTR);
  std::uint8_t extra = 0;
  if (got != static_cast<ssize_t>(key.key_.size()) || ::read(fd.get(), &extra, 1) != 0) {
    *error = "the pseudonym key " + path.string() +
             " is not exactly 32 bytes; restore it from backup (a new key makes old and new "
             "pseudonyms unlinkable)";
    return std::nullopt;
  }
  return key;
}

PseudonymKey::PseudonymKey(PseudonymKey&& other) noexcept : key_(other.key_) {
  OPENSSL_cleanse(other.key_.data(), other.key_.size());
}

PseudonymKey& PseudonymKey::operator=(PseudonymKey&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    OPENSSL_cleanse(other.key_.data(), other.key_.size());
  }
  return *this;
}

PseudonymKey::~PseudonymKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::optional<Digest> PseudonymKey::pseudonym(const crypto::Cti& cti) const {
  Digest out{};
  std::size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_.data(), key_.size(), cti.data(),
                cti.size(), out.data(), out.size(), &size) == nullptr ||
      size != out.size()) {
    return std::nullopt;
  }
  return out;
}

std::optional<Digest> sha256(const std::uint8_t* data, std::size_t size) {
  Digest out{};
  unsigned int length = 0;
  if (EVP_Digest(data, size, out.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != out.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace kakunin::audit::detail
