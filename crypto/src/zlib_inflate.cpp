#include "zlib_inflate.h"

#include <zlib.h>

#include <climits>

namespace kakunin::crypto {
namespace {

struct InflateStream {
  z_stream zs{};
  bool ready = false;
  InflateStream() { ready = inflateInit(&zs) == Z_OK; }  // zlib header required
  ~InflateStream() {
    if (ready) inflateEnd(&zs);
  }
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;
};

bool fail(std::string* error, const char* reason) {
  if (error) *error = reason;
  return false;
}

// Called when the output buffer is exactly full: the stream must end without
// producing one more byte. A one-byte scratch buffer tells, so nothing past the
// limit is ever allocated.
bool stream_ends_without_more_output(z_stream& zs, std::string* error) {
  std::uint8_t scratch = 0;
  for (;;) {
    const uInt in_before = zs.avail_in;
    zs.next_out = &scratch;
    zs.avail_out = 1;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    if (zs.avail_out == 0) return fail(error, "zlib: inflated size over the limit");
    if (rc == Z_STREAM_END) return true;
    if (rc != Z_OK || zs.avail_in == in_before) {
      return fail(error, "zlib: truncated or corrupt stream");
    }
  }
}

}  // namespace

std::optional<Bytes> inflate_bounded(ByteView compressed, std::size_t limit, std::string* error) {
  if (compressed.size() > UINT_MAX || limit > UINT_MAX) {
    fail(error, "zlib: input too large");
    return std::nullopt;
  }
  InflateStream stream;
  if (!stream.ready) {
    fail(error, "zlib: cannot initialise");
    return std::nullopt;
  }
  z_stream& zs = stream.zs;
  Bytes out(limit);
  zs.next_in = const_cast<Bytef*>(compressed.data());  // zlib's API is not const-correct
  zs.avail_in = static_cast<uInt>(compressed.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());

  const int rc = inflate(&zs, Z_NO_FLUSH);
  if (rc == Z_OK || rc == Z_BUF_ERROR) {
    if (zs.avail_out != 0) {
      fail(error, "zlib: truncated stream");
      return std::nullopt;
    }
    // Output full: the stream may still end right here.
    if (!stream_ends_without_more_output(zs, error)) return std::nullopt;
  } else if (rc != Z_STREAM_END) {
    fail(error, "zlib: corrupt stream (header, data or checksum)");
    return std::nullopt;
  }
  if (zs.avail_in != 0) {
    fail(error, "zlib: bytes after the end of the stream");
    return std::nullopt;
  }
  out.resize(zs.total_out);
  return out;
}

}  // namespace kakunin::crypto
