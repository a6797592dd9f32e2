#include "ed25519_point.h"

#include "openssl_ptr.h"

#include <algorithm>
#include <array>

namespace kakunin::crypto {
namespace {

using BnCtxPtr = std::unique_ptr<BN_CTX, OpenSslDeleter<BN_CTX, BN_CTX_free>>;

// Field arithmetic modulo p = 2^255 - 19, on BIGNUMs that stay reduced.
class Field {
 public:
  Field() : ctx_(BN_CTX_new()), p_(BN_new()), d_(BN_new()) {
    ok_ = ctx_ && p_ && d_ && BN_set_bit(p_.get(), 255) == 1 && BN_sub_word(p_.get(), 19) == 1 &&
          compute_d();
  }
  bool ok() const { return ok_; }
  const BIGNUM* p() const { return p_.get(); }
  const BIGNUM* d() const { return d_.get(); }
  BN_CTX* ctx() const { return ctx_.get(); }

  BignumPtr number(BN_ULONG word) const {
    BignumPtr n(BN_new());
    if (n && BN_set_word(n.get(), word) != 1) n.reset();
    return n;
  }
  BignumPtr mul(const BIGNUM* a, const BIGNUM* b) const { return op(BN_mod_mul, a, b); }
  BignumPtr add(const BIGNUM* a, const BIGNUM* b) const { return op(BN_mod_add, a, b); }
  BignumPtr sub(const BIGNUM* a, const BIGNUM* b) const { return op(BN_mod_sub, a, b); }
  BignumPtr inverse(const BIGNUM* a) const {
    BignumPtr r(BN_new());
    if (!r || !BN_mod_inverse(r.get(), a, p_.get(), ctx_.get())) r.reset();
    return r;
  }

 private:
  using MulFn = int (*)(BIGNUM*, const BIGNUM*, const BIGNUM*, const BIGNUM*, BN_CTX*);
  BignumPtr op(MulFn fn, const BIGNUM* a, const BIGNUM* b) const {
    BignumPtr r(BN_new());
    if (!r || !a || !b || fn(r.get(), a, b, p_.get(), ctx_.get()) != 1) r.reset();
    return r;
  }

  // d = -121665 / 121666 (RFC 8032 §5.1).
  bool compute_d() {
    BignumPtr numerator = number(121665);
    BignumPtr denominator = number(121666);
    BignumPtr zero = number(0);
    if (!numerator || !denominator || !zero) return false;
    BignumPtr negated = sub(zero.get(), numerator.get());
    BignumPtr inverted = inverse(denominator.get());
    BignumPtr d = mul(negated.get(), inverted.get());
    if (!d) return false;
    d_ = std::move(d);
    return true;
  }

  BnCtxPtr ctx_;
  BignumPtr p_;
  BignumPtr d_;
  bool ok_ = false;
};

struct Point {
  BignumPtr x;
  BignumPtr y;
};

// The complete twisted Edwards addition law for a = -1 (RFC 8032 §5.1.4, affine):
// x3 = (x1 y2 + y1 x2) / (1 + d x1 x2 y1 y2), y3 = (y1 y2 + x1 x2) / (1 - d x1 x2 y1 y2).
// Complete because d is not a square: no special cases, doubling included.
std::optional<Point> add(const Field& f, const Point& a, const Point& b) {
  BignumPtr one = f.number(1);
  BignumPtr x1y2 = f.mul(a.x.get(), b.y.get());
  BignumPtr y1x2 = f.mul(a.y.get(), b.x.get());
  BignumPtr y1y2 = f.mul(a.y.get(), b.y.get());
  BignumPtr x1x2 = f.mul(a.x.get(), b.x.get());
  if (!one || !x1y2 || !y1x2 || !y1y2 || !x1x2) return std::nullopt;
  BignumPtr product = f.mul(x1x2.get(), y1y2.get());
  BignumPtr dxy = product ? f.mul(f.d(), product.get()) : nullptr;
  if (!dxy) return std::nullopt;
  BignumPtr x_den = f.add(one.get(), dxy.get());
  BignumPtr y_den = f.sub(one.get(), dxy.get());
  BignumPtr x_num = f.add(x1y2.get(), y1x2.get());
  BignumPtr y_num = f.add(y1y2.get(), x1x2.get());
  BignumPtr x_inv = x_den ? f.inverse(x_den.get()) : nullptr;
  BignumPtr y_inv = y_den ? f.inverse(y_den.get()) : nullptr;
  if (!x_num || !y_num || !x_inv || !y_inv) return std::nullopt;
  Point sum{f.mul(x_num.get(), x_inv.get()), f.mul(y_num.get(), y_inv.get())};
  if (!sum.x || !sum.y) return std::nullopt;
  return sum;
}

// x from y and the sign bit (RFC 8032 §5.1.3): x^2 = (y^2 - 1) / (d y^2 + 1).
std::optional<BignumPtr> recover_x(const Field& f, const BIGNUM* y, bool x_negative) {
  BignumPtr one = f.number(1);
  BignumPtr y2 = f.mul(y, y);
  if (!one || !y2) return std::nullopt;
  BignumPtr u = f.sub(y2.get(), one.get());
  BignumPtr dy2 = f.mul(f.d(), y2.get());
  BignumPtr v = dy2 ? f.add(dy2.get(), one.get()) : nullptr;
  BignumPtr v_inv = v ? f.inverse(v.get()) : nullptr;  // v is never 0: d is not a square
  BignumPtr x2 = (u && v_inv) ? f.mul(u.get(), v_inv.get()) : nullptr;
  if (!x2) return std::nullopt;
  if (BN_is_zero(x2.get())) {
    if (x_negative) return std::nullopt;  // -0: a second encoding of x = 0
    return f.number(0);
  }
  BignumPtr x(BN_mod_sqrt(nullptr, x2.get(), f.p(), f.ctx()));
  if (!x) return std::nullopt;  // no square root: not a point on the curve
  if (static_cast<bool>(BN_is_odd(x.get())) != x_negative) {
    BignumPtr zero = f.number(0);
    x = zero ? f.sub(zero.get(), x.get()) : nullptr;
    if (!x) return std::nullopt;
  }
  return x;
}

}  // namespace

bool is_usable_ed25519_public_key(ByteView raw) {
  if (raw.size() != 32) return false;
  const Field f;
  if (!f.ok()) return false;
  std::array<std::uint8_t, 32> big_endian_y;
  std::reverse_copy(raw.begin(), raw.end(), big_endian_y.begin());
  const bool x_negative = (big_endian_y[0] & 0x80) != 0;
  big_endian_y[0] &= 0x7F;
  BignumPtr y(BN_bin2bn(big_endian_y.data(), static_cast<int>(big_endian_y.size()), nullptr));
  if (!y || BN_cmp(y.get(), f.p()) >= 0) return false;  // y >= p: not canonical
  auto x = recover_x(f, y.get(), x_negative);
  if (!x) return false;
  // Small order means [8]P is the identity (0, 1): three doublings tell.
  Point point{std::move(*x), std::move(y)};
  for (int doubling = 0; doubling < 3; ++doubling) {
    auto doubled = add(f, point, point);
    if (!doubled) return false;
    point = std::move(*doubled);
  }
  return !(BN_is_zero(point.x.get()) && BN_is_one(point.y.get()));
}

}  // namespace kakunin::crypto
