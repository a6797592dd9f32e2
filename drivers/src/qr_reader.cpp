// The QR decode pipeline: passes from cheapest to dearest, stopping at the first
// that reads something. The order and each pass's measured gain are in
// docs/decoding.md; the figures come from `kakunin-bench decode`.
#include <kakunin/drivers/qr_reader.h>

#include "qr_reader_passes.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace kakunin::drivers {

std::string_view decoder_name(QrDecoder decoder) {
  switch (decoder) {
    case QrDecoder::zbar:
      return "zbar";
    case QrDecoder::zxing:
      return "zxing-cpp";
    case QrDecoder::wechat:
      return "wechat";
  }
  return "unknown";
}

namespace {

using passes::Found;
using passes::Placement;

// The frame as a continuous 8-bit grayscale image; empty when the view is not a
// valid image (null data, a stride shorter than a row).
cv::Mat gray_of(const FrameView& given) {
  FrameView frame = given;
  const int channels = frame.format == FrameView::Format::gray8 ? 1 : 3;
  if (frame.stride == 0) frame.stride = frame.width * channels;  // rows packed
  // A stride shorter than a row would make OpenCV read outside the caller's buffer.
  if (!frame.data || frame.width <= 0 || frame.height <= 0 ||
      frame.stride < frame.width * channels) {
    return {};
  }
  const cv::Mat view(frame.height, frame.width, channels == 1 ? CV_8UC1 : CV_8UC3,
                     const_cast<std::uint8_t*>(frame.data), static_cast<std::size_t>(frame.stride));
  cv::Mat gray;
  if (channels == 1) {
    view.copyTo(gray);  // continuous: decoders must not see the caller's stride
  } else {
    cv::cvtColor(view, gray, cv::COLOR_BGR2GRAY);
  }
  return gray;
}

cv::Mat inverted(const cv::Mat& gray) {
  cv::Mat out;
  cv::bitwise_not(gray, out);
  return out;
}

cv::Mat mirrored(const cv::Mat& gray) {
  cv::Mat out;
  cv::flip(gray, out, 1);
  return out;
}

cv::Mat scaled(const cv::Mat& gray, double factor) {
  cv::Mat out;
  cv::resize(gray, out, {}, factor, factor, factor < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
  return out;
}

// Two texts read at overlapping places are two readings of one symbol that
// disagree: at least one is wrong, and nothing says which, so both go.
bool overlaps(const Found& a, const Found& b) {
  if (a.corners.empty() || b.corners.empty()) return true;  // unknown place: assume the same
  return (cv::boundingRect(a.corners) & cv::boundingRect(b.corners)).area() > 0;
}

std::vector<Found> without_disagreements(std::vector<Found> found) {
  std::vector<bool> drop(found.size(), false);
  for (std::size_t i = 0; i < found.size(); ++i) {
    for (std::size_t j = i + 1; j < found.size(); ++j) {
      if (found[i].bytes != found[j].bytes && overlaps(found[i], found[j]))
        drop[i] = drop[j] = true;
    }
  }
  std::vector<Found> kept;
  for (std::size_t i = 0; i < found.size(); ++i) {
    const bool duplicate = std::any_of(kept.begin(), kept.end(),
                                       [&](const Found& k) { return k.bytes == found[i].bytes; });
    if (!drop[i] && !duplicate) kept.push_back(std::move(found[i]));
  }
  return kept;
}

std::pair<int, int> to_pixel(const cv::Point2f& p) {
  return {static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))};
}

std::vector<Decoded> to_decoded(std::vector<Found> found) {
  std::vector<Decoded> out;
  for (Found& f : found) {
    Decoded d;
    d.text = std::move(f.bytes);
    d.text_utf8 = std::move(f.utf8);
    for (const cv::Point2f& p : f.corners) d.corners.push_back(to_pixel(p));
    out.push_back(std::move(d));
  }
  return out;
}

// The part of the frame around the last QR, with room for the phone to move
// half the symbol's size between frames.
cv::Rect region_around(const std::vector<cv::Point2f>& corners, cv::Size frame) {
  const cv::Rect box = cv::boundingRect(corners);
  const int margin = std::max(box.width, box.height) / 2 + 16;
  const cv::Rect grown(box.x - margin, box.y - margin, box.width + 2 * margin,
                       box.height + 2 * margin);
  return grown & cv::Rect({0, 0}, frame);
}

// See dear_pass_count(): the passes an empty counter's pacing skips, two WeChat
// scales, then the four edge bands. WeChat's time grows faster than the pixel
// count: the whole frame at most a megapixel, and a band enlarged twice but to
// no more than a megapixel and a half.
constexpr std::size_t kDearPasses = 7;
// Pass 0 repeats passes run() makes whenever the pacing lets it: inline, after
// them, the dear passes start here.
constexpr std::size_t kFirstDearPassBeyondRun = 1;
constexpr double kWholeFramePixels = 1e6;
constexpr double kEnlargedBandPixels = 1.5e6;

// Band `which` (0 left, 1 right, 2 top, 3 bottom) of a frame: a third of it.
cv::Rect edge_band(cv::Size frame, std::size_t which) {
  const int w = frame.width, h = frame.height;
  switch (which) {
    case 0:
      return {0, 0, w / 3, h};
    case 1:
      return {w - w / 3, 0, w / 3, h};
    case 2:
      return {0, 0, w, h / 3};
    case 3:
      return {0, h - h / 3, w, h / 3};
    default:
      return {};
  }
}

}  // namespace

struct QrReader::Impl {
  QrReaderOptions options;
  passes::Decoders decoders;
  std::vector<cv::Point2f> last_corners;  // of the last QR read, frame pixels
  int empty_frames = 0;                   // consecutive frames in which nothing was read or located
  bool located_unread = false;            // the last read located a symbol but read nothing
  // Frames that pass the empty-counter pacing still run every pass now and then.
  static constexpr int kEmptyFramesBeforePacing = 2;

  bool pacing_skips_dear_passes() const {
    return options.idle_full_search_every > 1 && empty_frames >= kEmptyFramesBeforePacing &&
           decoders.located().empty() && empty_frames % options.idle_full_search_every != 0;
  }

  // Runs `pass` on `image` (placed in the frame by `where`); true when it read
  // something that survives the disagreement check.
  template <typename Pass>
  bool try_pass(Pass&& pass, const cv::Mat& image, const Placement& where,
                std::vector<Found>& out) {
    std::vector<Found> found = without_disagreements(pass(image, where));
    if (found.empty()) return false;
    decoders.fill_utf8(image, where, found);
    out = std::move(found);
    return true;
  }

  bool try_dear_pass(const cv::Mat& gray, std::size_t pass, std::vector<Found>& out) {
    const auto wechat = [this](const cv::Mat& m, const Placement& w) {
      return decoders.wechat(m, w);
    };
    const auto zxing = [this](const cv::Mat& m, const Placement& w) {
      return decoders.zxing(m, w);
    };
    const double whole = std::min(
        1.0,
        std::sqrt(kWholeFramePixels / static_cast<double>(std::max<std::size_t>(1, gray.total()))));
    switch (pass) {
      case 0:
        return try_skipped_passes(gray, cv::Mat(), out);
      case 1:
        return try_pass(wechat, whole < 1 ? scaled(gray, whole) : gray, Placement{{0, 0}, whole},
                        out);
      case 2:  // very large symbols and coarse photo noise read better with half the pixels
        return try_pass(wechat, scaled(gray, whole / 2), Placement{{0, 0}, whole / 2}, out);
      default: {
        // A small symbol near the frame's edge (a phone held off-centre, tilted):
        // the band it is in, enlarged, gives each module more pixels.
        const cv::Rect band = edge_band(gray.size(), pass - 3);
        if (band.area() <= 0) return false;
        const double factor =
            std::min(2.0, std::sqrt(kEnlargedBandPixels / static_cast<double>(band.area())));
        const cv::Mat enlarged = scaled(gray(band), factor);
        const Placement where{{static_cast<float>(band.x), static_cast<float>(band.y)}, factor};
        return try_pass(wechat, enlarged, where, out) || try_pass(zxing, enlarged, where, out);
      }
    }
  }

  // ZBar (and on the negative), and the mirrored symbol: the passes the
  // empty-counter pacing skips. True when one read. `negative`: the inverted
  // frame when the caller has it already, else empty.
  bool try_skipped_passes(const cv::Mat& gray, const cv::Mat& negative, std::vector<Found>& out) {
    const auto zbar = [this](const cv::Mat& m, const Placement& w) { return decoders.zbar(m, w); };
    const auto zxing = [this](const cv::Mat& m, const Placement& w) {
      return decoders.zxing(m, w);
    };
    const Placement whole{};
    // 3. ZBar: an independent reader (its own binarizer and finder search) that
    //    reads some symbols zxing-cpp misses (and all of them when zxing is off).
    if (try_pass(zbar, gray, whole, out)) return true;
    if (options.try_inverted &&
        try_pass(zbar, negative.empty() ? inverted(gray) : negative, whole, out))
      return true;
    // 4. Mirrored symbols (front cameras, mirrors): ZBar reads most of them as
    //    they are; zxing-cpp 1.4 does not. (ZBar on the mirror when zxing is off.)
    if (options.try_mirrored) {
      const Placement flipped{{0, 0}, 1.0, gray.cols};
      const cv::Mat mirror = mirrored(gray);
      return options.use_zxing ? try_pass(zxing, mirror, flipped, out)
                               : try_pass(zbar, mirror, flipped, out);
    }
    return false;
  }

  std::vector<Found> run(const cv::Mat& gray) {
    std::vector<Found> out;
    decoders.clear_located();
    const auto zbar = [this](const cv::Mat& m, const Placement& w) { return decoders.zbar(m, w); };
    const auto zxing = [this](const cv::Mat& m, const Placement& w) {
      return decoders.zxing(m, w);
    };
    const auto wechat = [this](const cv::Mat& m, const Placement& w) {
      return decoders.wechat(m, w);
    };
    const Placement whole{};

    // 1. Where the QR was in the last frame: a phone held to the camera moves
    //    little between frames, and a crop scans in a fraction of the time.
    if (options.follow_region && !last_corners.empty()) {
      const cv::Rect region = region_around(last_corners, gray.size());
      if (region.area() > 0 && region.area() < gray.size().area() * 3 / 4) {
        const Placement crop{{static_cast<float>(region.x), static_cast<float>(region.y)}};
        // The reader that the whole-frame pass would try first (zxing-cpp, or
        // ZBar when zxing is off), so the crop never gives a reading the whole
        // frame would not.
        const cv::Mat part = gray(region).clone();
        if (options.use_zxing ? try_pass(zxing, part, crop, out) : try_pass(zbar, part, crop, out))
          return out;
      }
    }
    // 2. zxing-cpp on the whole frame: measured 4-6x faster than ZBar on 720p
    //    frames and reads more of them, so it goes first; then on the negative,
    //    for dark-mode screens (light modules on dark), as cheap again.
    const cv::Mat negative = options.try_inverted ? inverted(gray) : cv::Mat();
    if (options.use_zxing) {
      if (try_pass(zxing, gray, whole, out)) return out;
      if (options.try_inverted && try_pass(zxing, negative, whole, out)) return out;
    }
    if (pacing_skips_dear_passes()) return out;
    if (try_skipped_passes(gray, negative, out)) return out;
    // 5. WeChat's reader: its own binarizer and detector read symbols in glare,
    //    clutter and strong perspective that both others miss. The dearest
    //    pass, and unbounded on noise, so by default only where zxing-cpp
    //    located a symbol it could not decode, on that region alone.
    if (options.wechat == QrReaderOptions::WeChat::where_located) {
      // A few places at most (a noisy frame can offer many false finds); finds
      // that overlap (the passes each locate the same symbol) become one place.
      constexpr std::size_t kMaxRegions = 4;
      std::vector<cv::Rect> regions;
      for (const cv::Rect& symbol : decoders.located()) {
        const auto same = std::find_if(regions.begin(), regions.end(),
                                       [&](const cv::Rect& r) { return (r & symbol).area() > 0; });
        if (same != regions.end()) {
          *same |= symbol;
        } else if (regions.size() < kMaxRegions) {
          regions.push_back(symbol);
        }
      }
      for (const cv::Rect& symbol : regions) {
        const cv::Rect region =
            region_around({cv::Point2f(symbol.tl()), cv::Point2f(symbol.br())}, gray.size());
        if (region.area() <= 0) continue;
        const Placement crop{{static_cast<float>(region.x), static_cast<float>(region.y)}};
        if (try_pass(wechat, gray(region).clone(), crop, out)) return out;
      }
    }
    if (options.dear_passes_inline) {
      for (std::size_t pass = kFirstDearPassBeyondRun; pass < kDearPasses; ++pass) {
        if (try_dear_pass(gray, pass, out)) return out;
      }
    }
    return out;
  }
};

QrReaderOptions still_image_options() {
  QrReaderOptions options;
  options.follow_region = false;
  options.idle_full_search_every = 1;  // one image: every pass, always
  options.dear_passes_inline = true;
  return options;
}

std::size_t dear_pass_count() { return kDearPasses; }

QrReader::QrReader(QrReaderOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
QrReader::~QrReader() = default;
QrReader::QrReader(QrReader&&) noexcept = default;
QrReader& QrReader::operator=(QrReader&&) noexcept = default;

std::vector<Decoded> QrReader::read(const FrameView& frame) {
  const cv::Mat gray = gray_of(frame);
  if (gray.empty()) return {};
  std::vector<Found> found = impl_->run(gray);
  const bool nothing_there = found.empty() && impl_->decoders.located().empty();
  impl_->located_unread = found.empty() && !impl_->decoders.located().empty();
  impl_->empty_frames = nothing_there ? impl_->empty_frames + 1 : 0;
  if (found.empty()) {
    impl_->last_corners.clear();
  } else {
    impl_->last_corners = found.front().corners;
  }
  return to_decoded(std::move(found));
}

std::vector<Decoded> QrReader::read_dear_pass(const FrameView& frame, std::size_t pass) {
  const cv::Mat gray = gray_of(frame);
  std::vector<Found> found;
  if (gray.empty() || pass >= kDearPasses) return {};
  impl_->try_dear_pass(gray, pass, found);
  return to_decoded(std::move(found));
}

bool QrReader::located_unread() const { return impl_->located_unread; }

void QrReader::forget_region() { impl_->last_corners.clear(); }

bool QrReader::counter_looks_empty() const {
  return impl_->empty_frames >= Impl::kEmptyFramesBeforePacing;
}

std::vector<Decoded> QrReader::read_with(QrDecoder decoder, const FrameView& frame) {
  const cv::Mat gray = gray_of(frame);
  if (gray.empty()) return {};
  const Placement whole{};
  std::vector<Found> found;
  switch (decoder) {
    case QrDecoder::zbar:
      found = impl_->decoders.zbar(gray, whole);
      break;
    case QrDecoder::zxing:
      found = impl_->decoders.zxing(gray, whole);
      break;
    case QrDecoder::wechat:
      found = impl_->decoders.wechat(gray, whole);
      break;
  }
  found = without_disagreements(std::move(found));
  impl_->decoders.fill_utf8(gray, whole, found, /*ask_zxing=*/false);  // alone means alone
  return to_decoded(std::move(found));
}

}  // namespace kakunin::drivers
