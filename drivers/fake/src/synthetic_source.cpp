// SyntheticPhoneSource: a phone held up to a camera, drawn with OpenCV. Written by
// hand because no library films a phone; the QR itself comes from libqrencode and
// every image operation from OpenCV.
#include <kakunin/drivers/synthetic_source.h>

#include <kakunin/drivers/frame_pacer.h>

#include <qrencode.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

namespace kakunin::drivers {
namespace {

using Random = std::mt19937_64;

double uniform(Random& random, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(random);
}
double normal(Random& random, double sigma) {
  return sigma > 0 ? std::normal_distribution<double>(0, sigma)(random) : 0;
}

// Independent streams for the desk, each presentation and each frame, so frame n
// looks the same whether or not frames before it were drawn.
Random stream(std::uint64_t seed, std::uint64_t kind, std::uint64_t index) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(kind), static_cast<std::uint32_t>(index),
                    static_cast<std::uint32_t>(index >> 32)};
  return Random(seq);
}

bool is_qr_alphanumeric(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           std::string_view(" $%*+-./:").find(c) != std::string_view::npos;
  });
}

// The QR's modules (true = dark), `size` x `size`; nullopt when the text does not
// fit a QR. JHC1 texts go in one alphanumeric segment, as the spec prescribes.
struct Modules {
  int size = 0;
  std::vector<bool> dark;
};
std::optional<Modules> encode(const std::string& text) {
  QRcode* code = nullptr;
  if (is_qr_alphanumeric(text)) {
    std::unique_ptr<QRinput, decltype(&QRinput_free)> input(QRinput_new2(0, QR_ECLEVEL_M),
                                                            QRinput_free);
    if (input && QRinput_append(input.get(), QR_MODE_AN, static_cast<int>(text.size()),
                                reinterpret_cast<const unsigned char*>(text.data())) == 0) {
      code = QRcode_encodeInput(input.get());
    }
  } else {
    code = QRcode_encodeData(static_cast<int>(text.size()),
                             reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M);
  }
  if (!code) return std::nullopt;
  Modules modules{code->width, {}};
  for (int i = 0; i < code->width * code->width; ++i) modules.dark.push_back(code->data[i] & 1);
  QRcode_free(code);
  return modules;
}

constexpr int kModulePixels = 6;  // the phone's screen is drawn at 6 px a module

// What stays the same during one presentation: the phone's picture and its pose.
struct Presentation {
  cv::Mat phone;                         // BGR picture of the phone, screen on
  cv::Mat screen_mask;                   // 255 on the lit screen
  std::vector<cv::Point2f> qr_square;    // the QR's corners in the phone picture
  std::vector<cv::Point2f> qr_in_frame;  // where they land in the frame (before shake)
  double blur_sigma = 0;
  double moire_amplitude = 0, moire_period = 5, moire_angle = 0;
  double glare_strength = 0, glare_sigma = 50;
  cv::Point2f glare_at;
  double exposure_gain = 1, noise_sigma = 0, shake_pixels = 0;
  int jpeg_quality = 95;
};

Presentation make_presentation(const std::string& text, const SyntheticPhoneOptions& o,
                               Random& random) {
  const double d = std::clamp(o.difficulty, 0.0, 1.0);
  Presentation p;
  const auto modules = text.empty() ? std::nullopt : encode(text);
  const int qr_modules = modules ? modules->size : 41;
  const int qr_side = (qr_modules + 8) * kModulePixels;  // with the 4-module quiet zone
  const int screen_w = qr_side * 100 / 86, screen_h = screen_w * 2;
  const int bezel = screen_w / 20;
  const bool dark_mode = o.allow_dark_mode && uniform(random, 0, 1) < 0.25 * d;
  const cv::Scalar paper = dark_mode ? cv::Scalar(28, 28, 28) : cv::Scalar(250, 250, 250);
  const cv::Scalar ink = dark_mode ? cv::Scalar(225, 225, 225) : cv::Scalar(20, 20, 20);

  p.phone = cv::Mat(screen_h + 2 * bezel, screen_w + 2 * bezel, CV_8UC3, cv::Scalar(35, 32, 30));
  cv::Mat screen = p.phone(cv::Rect(bezel, bezel, screen_w, screen_h));
  screen.setTo(paper);
  // The page around the QR: a coloured title bar and lines of "text".
  cv::rectangle(screen, {0, 0, screen_w, screen_h / 12}, cv::Scalar(160, 110, 40), cv::FILLED);
  const int qr_x = (screen_w - qr_side) / 2, qr_y = screen_h / 6;
  for (int line = 0; line < 6; ++line) {
    const int y = qr_y + qr_side + screen_w / 12 + line * screen_w / 14;
    const int w = static_cast<int>(screen_w * uniform(random, 0.3, 0.8));
    cv::rectangle(screen, {screen_w / 10, y, w, screen_w / 40}, ink * 0.6 + paper * 0.4,
                  cv::FILLED);
  }
  if (modules) {
    for (int y = 0; y < modules->size; ++y) {
      for (int x = 0; x < modules->size; ++x) {
        if (!modules->dark[static_cast<std::size_t>(y) * modules->size + x]) continue;
        cv::rectangle(screen,
                      {qr_x + (x + 4) * kModulePixels, qr_y + (y + 4) * kModulePixels,
                       kModulePixels, kModulePixels},
                      ink, cv::FILLED);
      }
    }
  }
  p.screen_mask = cv::Mat::zeros(p.phone.size(), CV_8UC1);
  p.screen_mask(cv::Rect(bezel, bezel, screen_w, screen_h)).setTo(255);
  const float x0 = static_cast<float>(bezel + qr_x + 4 * kModulePixels),
              y0 = static_cast<float>(bezel + qr_y + 4 * kModulePixels);
  const float side = static_cast<float>(qr_modules * kModulePixels);
  p.qr_square = {{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}};

  // Pose: the symbol (without quiet zone) 270..440 px across, anywhere in the
  // frame that keeps it whole, turned and tilted more as the difficulty rises.
  const double symbol_px = uniform(random, 440 - 170 * d, 440);
  const double reach = symbol_px * 0.75;  // half the diagonal of a turned, tilted symbol
  const double free_x = std::max(0.0, o.width / 2.0 - reach),
               free_y = std::max(0.0, o.height / 2.0 - reach);
  const cv::Point2f centre(
      static_cast<float>(o.width / 2.0 + uniform(random, -1, 1) * free_x * (0.2 + 0.8 * d)),
      static_cast<float>(o.height / 2.0 + uniform(random, -1, 1) * free_y * (0.2 + 0.8 * d)));
  const double angle = uniform(random, -1, 1) * (3 + 27 * d) * CV_PI / 180;
  const double tilt = (0.01 + 0.07 * d) * symbol_px;  // a corner nearer or farther
  for (int i = 0; i < 4; ++i) {
    const double cx = (i == 1 || i == 2) ? 0.5 : -0.5, cy = (i >= 2) ? 0.5 : -0.5;
    const double x = cx * symbol_px, y = cy * symbol_px;
    p.qr_in_frame.emplace_back(
        static_cast<float>(centre.x + x * std::cos(angle) - y * std::sin(angle) +
                           uniform(random, -tilt, tilt)),
        static_cast<float>(centre.y + x * std::sin(angle) + y * std::cos(angle) +
                           uniform(random, -tilt, tilt)));
  }
  p.blur_sigma = uniform(random, 0, 1.3 * d);
  p.moire_amplitude = uniform(random, 0, 0.10 * d);
  p.moire_period = uniform(random, 3, 9);
  p.moire_angle = uniform(random, 0, CV_PI);
  p.glare_strength = uniform(random, 0, 0.55 * d);
  p.glare_sigma = uniform(random, 0.08, 0.25) * symbol_px;
  p.glare_at = centre + cv::Point2f(static_cast<float>(normal(random, symbol_px / 3)),
                                    static_cast<float>(normal(random, symbol_px / 3)));
  p.exposure_gain = uniform(random, 1 - 0.4 * d, 1 + 0.3 * d);
  p.noise_sigma = uniform(random, 0.5, 0.5 + 6 * d);
  p.jpeg_quality = static_cast<int>(uniform(random, 92 - 55 * d, 95));
  p.shake_pixels = 0.5 + 5 * d;
  return p;
}

// A desk, a wall and a counter: something for the decoders to ignore.
cv::Mat make_background(const SyntheticPhoneOptions& o) {
  Random random = stream(o.seed, 1, 0);
  cv::Mat back(o.height, o.width, CV_8UC3);
  for (int y = 0; y < o.height; ++y) {
    const double t = static_cast<double>(y) / o.height;
    back.row(y).setTo(cv::Scalar(150 - 60 * t, 160 - 50 * t, 170 - 40 * t));
  }
  for (int i = 0; i < 12; ++i) {
    const cv::Point a(static_cast<int>(uniform(random, 0, o.width)),
                      static_cast<int>(uniform(random, 0, o.height)));
    const cv::Size s(static_cast<int>(uniform(random, 20, 300)),
                     static_cast<int>(uniform(random, 20, 200)));
    cv::rectangle(
        back, cv::Rect(a, s),
        cv::Scalar(uniform(random, 40, 220), uniform(random, 40, 220), uniform(random, 40, 220)),
        cv::FILLED);
  }
  return back;
}

void add_camera_faults(cv::Mat& frame, const cv::Mat& screen_mask, const Presentation& p,
                       Random& random) {
  cv::Mat light;
  frame.convertTo(light, CV_32FC3);
  cv::Mat mask;
  screen_mask.convertTo(mask, CV_32FC1, 1.0 / 255);
  // Moire: the beat between the screen's pixel grid and the sensor's, a faint
  // wave over the screen only.
  if (p.moire_amplitude > 0.005) {
    cv::Mat wave(frame.size(), CV_32FC1);
    const double kx = std::cos(p.moire_angle) * 2 * CV_PI / p.moire_period;
    const double ky = std::sin(p.moire_angle) * 2 * CV_PI / p.moire_period;
    for (int y = 0; y < wave.rows; ++y) {
      float* row = wave.ptr<float>(y);
      for (int x = 0; x < wave.cols; ++x)
        row[x] = static_cast<float>(1 - p.moire_amplitude * (1 + std::cos(kx * x + ky * y)) / 2);
    }
    wave = 1 - mask.mul(1 - wave);
    cv::Mat wave3;
    cv::merge(std::vector<cv::Mat>{wave, wave, wave}, wave3);
    light = light.mul(wave3);
  }
  // Glare: a ceiling light reflected in the screen glass.
  if (p.glare_strength > 0.01) {
    cv::Mat glow(frame.size(), CV_32FC1, cv::Scalar(0));
    cv::circle(glow, p.glare_at, static_cast<int>(p.glare_sigma), cv::Scalar(1), cv::FILLED,
               cv::LINE_AA);
    cv::GaussianBlur(glow, glow, {0, 0}, p.glare_sigma / 2);
    glow = glow.mul(mask) * (255 * p.glare_strength);
    cv::Mat glow3;
    cv::merge(std::vector<cv::Mat>{glow, glow, glow}, glow3);
    light += glow3;
  }
  light *= p.exposure_gain;
  cv::Mat noise(frame.size(), CV_32FC3);
  // A local generator: cv::randn would draw from OpenCV's global one, shared
  // with every other thread and so not reproducible.
  cv::RNG sensor(random());
  sensor.fill(noise, cv::RNG::NORMAL, 0, p.noise_sigma * (0.8 + 0.4 * uniform(random, 0, 1)));
  light += noise;
  light.convertTo(frame, CV_8UC3);  // saturates: over-exposure clips as a sensor does
  if (p.blur_sigma > 0.2) cv::GaussianBlur(frame, frame, {0, 0}, p.blur_sigma);
  if (p.jpeg_quality < 95) {
    std::vector<std::uint8_t> jpeg;
    cv::imencode(".jpg", frame, jpeg, {cv::IMWRITE_JPEG_QUALITY, p.jpeg_quality});
    frame = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  }
}

}  // namespace

struct SyntheticPhoneSource::Impl {
  SyntheticPhoneOptions options;
  PresentationText text;
  cv::Mat background;
  std::uint64_t presentation_index = ~0ull;
  std::uint64_t pose_index = ~0ull;
  std::string shown_text;
  Presentation presentation;
  std::uint64_t next_index = 0;
  bool is_open = false;
  FramePacer pacer{0};  // options.fps

  const Presentation& presentation_for(std::uint64_t frame_index) {
    const std::uint64_t index =
        options.frames_per_presentation > 0
            ? frame_index / static_cast<std::uint64_t>(options.frames_per_presentation)
            : 0;
    if (index == presentation_index) return presentation;
    presentation_index = index;
    // The pose (and every fault drawn with it) follows the pose index, so a member
    // can hold one phone still while its page redraws the QR.
    const std::uint64_t pose =
        options.frames_per_pose > 0
            ? frame_index / static_cast<std::uint64_t>(options.frames_per_pose)
            : index;
    std::string shown = text ? text(index) : std::string();
    if (pose == pose_index && shown == shown_text) return presentation;
    Random random = stream(options.seed, 2, pose);
    presentation = make_presentation(shown, options, random);
    pose_index = pose;
    shown_text = std::move(shown);
    return presentation;
  }

  Frame render(std::uint64_t frame_index) {
    const Presentation& p = presentation_for(frame_index);
    Random random = stream(options.seed, 3, frame_index);
    // The hand: the whole phone moves a few pixels and turns a little each frame.
    std::vector<cv::Point2f> dst = p.qr_in_frame;
    const cv::Point2f move(static_cast<float>(normal(random, p.shake_pixels)),
                           static_cast<float>(normal(random, p.shake_pixels)));
    for (auto& corner : dst) {
      corner += move + cv::Point2f(static_cast<float>(normal(random, p.shake_pixels / 4)),
                                   static_cast<float>(normal(random, p.shake_pixels / 4)));
    }
    const cv::Mat homography = cv::getPerspectiveTransform(p.qr_square, dst);
    cv::Mat image = background.clone();
    cv::warpPerspective(p.phone, image, homography, image.size(), cv::INTER_LINEAR,
                        cv::BORDER_TRANSPARENT);
    cv::Mat mask;
    cv::warpPerspective(p.screen_mask, mask, homography, image.size(), cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT);
    add_camera_faults(image, mask, p, random);

    Frame frame;
    frame.width = image.cols;
    frame.height = image.rows;
    frame.stride = image.cols * 3;
    frame.format = FrameView::Format::bgr24;
    frame.pixels.assign(image.data, image.data + image.total() * 3);
    frame.sequence = frame_index + 1;
    frame.captured_at = std::chrono::steady_clock::now();
    return frame;
  }
};

SyntheticPhoneSource::SyntheticPhoneSource(SyntheticPhoneOptions options, PresentationText text)
    : impl_(std::make_unique<Impl>()) {
  options.width = std::max(options.width, 64);
  options.height = std::max(options.height, 64);
  impl_->options = options;
  impl_->text = std::move(text);
  impl_->background = make_background(options);
  impl_->pacer = FramePacer(options.fps);
}

SyntheticPhoneSource::~SyntheticPhoneSource() = default;

std::string SyntheticPhoneSource::describe() const {
  return "synthetic phone screen (seed " + std::to_string(impl_->options.seed) + ", difficulty " +
         std::to_string(impl_->options.difficulty).substr(0, 4) + ")";
}

bool SyntheticPhoneSource::open(std::string& reason) {
  reason.clear();
  impl_->next_index = 0;
  impl_->is_open = true;
  impl_->pacer.restart();
  return true;
}

GrabResult SyntheticPhoneSource::grab() {
  if (!impl_->is_open) return SourceOffline{"synthetic phone screen is closed"};
  const SyntheticPhoneOptions& o = impl_->options;
  if (o.frame_count > 0 && impl_->next_index >= o.frame_count) return EndOfStream{};
  impl_->pacer.wait_for_next();
  return GrabbedFrame{impl_->render(impl_->next_index++)};
}

void SyntheticPhoneSource::close() { impl_->is_open = false; }

Frame SyntheticPhoneSource::render(std::uint64_t index) { return impl_->render(index); }

}  // namespace kakunin::drivers
