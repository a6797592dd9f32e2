// kakunin-bench decode DIR...: the decode pipeline's read rate and time per image
// beside each decoder alone (ZBar, zxing-cpp, WeChat), all in one run.
// kakunin-bench decode --clips DIR...: the camera path as a member meets it: each
// image as a steady clip (an empty counter, then the image held up for one second
// at 30 fps) through a real DecodeStage, with its dear passes and without, beside
// the stills path: reads, time to first read, CPU per clip.
// kakunin-bench make-synthetic OUT_DIR [--count N] [--seed S]: 1280x720 frames of
// a phone showing real JHC1 QRs (both profiles, QR versions 10-20), NAME.jpg with
// its text in NAME.txt, in short sequences (a hand holding each phone a moment).
#include "bench.h"

#include <kakunin/base/text_encoding.h>
#include <kakunin/drivers/decode_stage.h>
#include <kakunin/drivers/qr_reader.h>
#include <kakunin/drivers/synthetic_source.h>
#include <kakunin/signer/signer.h>

#include <opencv2/imgcodecs.hpp>

#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

namespace kakunin::bench {
namespace {

namespace fs = std::filesystem;
using drivers::Decoded;
using drivers::QrDecoder;
using drivers::QrReader;
using Clock = std::chrono::steady_clock;

// The contenders, each measured on every image: the pipeline, then each decoder alone.
constexpr int kContenders = 4;
constexpr std::array<const char*, kContenders> kNames = {"pipeline", "zbar", "zxing-cpp", "wechat"};

struct Tally {
  int read = 0;
  int wrong = 0;  // images where a text other than the expected one came out
  std::vector<double> ms;
};

struct Folder {
  std::string name;
  int images = 0;
  std::array<Tally, kContenders> tally;
};

bool is_image(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".webp" || ext == ".bmp";
}

std::vector<fs::path> images_in(const fs::path& dir) {
  std::vector<fs::path> images;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && is_image(entry.path())) images.push_back(entry.path());
  }
  std::sort(images.begin(), images.end());  // sequences stay in order (the pipeline follows the QR)
  return images;
}

// DIR itself when it holds images, and each of its sub-folders that does.
std::vector<fs::path> folders_of(const fs::path& dir) {
  std::vector<fs::path> folders;
  if (!images_in(dir).empty()) folders.push_back(dir);
  std::error_code ec;
  std::vector<fs::path> subs;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && !images_in(entry.path()).empty()) subs.push_back(entry.path());
  }
  std::sort(subs.begin(), subs.end());
  folders.insert(folders.end(), subs.begin(), subs.end());
  return folders;
}

std::optional<std::string> expected_text(fs::path image) {
  image.replace_extension(".txt");
  std::ifstream in(image, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// NAME.other.txt, where a picture holds a second symbol (qrcode-2/16.webp, a QR
// inside a QR): its text, a correct reading of that symbol, so neither a read
// nor a wrong text.
std::optional<std::string> other_text(fs::path image) {
  return expected_text(image.replace_extension(".other.txt"));  // its ".txt" stays
}

bool g_clips = false;        // --clips: each image as a one-second clip through a DecodeStage
bool g_list_misses = false;  // --misses: name each image the pipeline or a decoder missed
bool g_stills = false;       // --stills: the pipeline as decode() runs it on single images

void score(Tally& tally, const std::vector<Decoded>& found, const std::string& expected, double ms,
           const std::optional<std::string>& other = std::nullopt) {
  tally.ms.push_back(ms);
  bool read = false, wrong = false;
  for (const Decoded& d : found) {
    // Raw bytes for JHC1; the character-set reading for the photographs' Japanese texts.
    if (d.text == expected || d.text_utf8 == expected) {
      read = true;
    } else if (!other || (d.text != *other && d.text_utf8 != *other)) {
      wrong = true;
    }
  }
  tally.read += read;
  tally.wrong += wrong;
}

Folder bench_folder(const fs::path& dir) {
  Folder folder{dir.filename().string(), 0, {}};
  // One per folder: a folder of frames is one camera's stream. With --stills, a
  // fresh still-image reader per image, as `kakunin verify IMAGE` reads it.
  QrReader pipeline(g_stills ? drivers::still_image_options() : drivers::QrReaderOptions{});
  QrReader single;
  for (const fs::path& path : images_in(dir)) {
    const auto expected = expected_text(path);
    cv::Mat image = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (!expected || image.empty()) {
      std::fprintf(stderr, "kakunin-bench: skipping %s (%s)\n", path.c_str(),
                   expected ? "not an image" : "no .txt with the expected text");
      continue;
    }
    if (!image.isContinuous()) image = image.clone();
    const frame::FrameView frame{image.data, image.cols, image.rows, static_cast<int>(image.step),
                                 frame::FrameView::Format::bgr24};
    ++folder.images;
    for (int c = 0; c < kContenders; ++c) {
      const auto start = Clock::now();
      if (c == 0 && g_stills) pipeline.forget_region();
      const std::vector<Decoded> found =
          c == 0 ? pipeline.read(frame) : single.read_with(static_cast<QrDecoder>(c - 1), frame);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      Tally& tally = folder.tally[static_cast<std::size_t>(c)];
      const int before = tally.read, wrong_before = tally.wrong;
      score(tally, found, *expected, ms, other_text(path));
      if (g_list_misses && (tally.read == before || tally.wrong != wrong_before)) {
        std::printf("  %s %s: %s (%.1f ms)\n", kNames[static_cast<std::size_t>(c)],
                    path.filename().c_str(), tally.wrong != wrong_before ? "WRONG TEXT" : "missed",
                    ms);
      }
    }
  }
  return folder;
}

void print_header() {
  std::printf("%-18s %6s", "folder", "images");
  for (const char* name : kNames) std::printf(" %10s", name);
  std::printf("   wrong(p/z/x/w)   ms median p/z/x/w          ms p95 p/z/x/w\n");
}

void print_row(const Folder& f) {
  std::printf("%-18s %6d", f.name.c_str(), f.images);
  for (const Tally& t : f.tally) std::printf(" %10d", t.read);
  std::printf("   %3d/%d/%d/%-3d ", f.tally[0].wrong, f.tally[1].wrong, f.tally[2].wrong,
              f.tally[3].wrong);
  for (double p : {0.5, 0.95}) {
    std::printf("  ");
    for (const Tally& t : f.tally) std::printf(" %6.2f", percentile(t.ms, p));
  }
  std::printf("\n");
}

// ---------------------------------------------------------------- clips --

constexpr int kEmptyCounterFrames = 5;  // before the image: the counter the kiosk saw
constexpr int kClipFrames = 30;         // the image held up for one second
constexpr auto kFrameInterval = std::chrono::microseconds(33'333);

// The bytes a symbol holding `expected` may have: the stage forwards bytes, and
// the photographs' expected texts are UTF-8 readings of Shift_JIS or Latin-1
// symbols too. `still` adds the bytes the stills path read as the expected text.
std::vector<std::string> expected_bytes(const std::string& expected,
                                        const std::vector<Decoded>& still) {
  std::vector<std::string> bytes{expected};
  for (const char* charset : {"SHIFT_JIS", "ISO-8859-1"}) {
    if (auto converted = base::convert_encoding(expected, charset, "UTF-8"); converted.ok())
      bytes.push_back(std::move(converted).value());
  }
  for (const Decoded& d : still) {
    if (d.text_utf8 == expected) bytes.push_back(d.text);
  }
  return bytes;
}

// The texts a clip's stage forwarded, with when the expected one first came.
// Texts of another symbol in the picture (other_text) are neither.
class ClipSink final : public drivers::QrTextSink {
 public:
  ClipSink(std::vector<std::string> expected, std::vector<std::string> others)
      : expected_(std::move(expected)), others_(std::move(others)) {}
  void qr_text(const drivers::ScannedText& scanned) override {
    const auto among = [&](const std::vector<std::string>& texts) {
      return std::find(texts.begin(), texts.end(), scanned.text) != texts.end();
    };
    std::lock_guard lock(mutex_);
    if (among(expected_)) {
      if (!read_at_) read_at_ = Clock::now();
    } else if (!wrong_ && !among(others_)) {
      wrong_ = scanned.text;
    }
  }
  std::optional<Clock::time_point> read_at() const {
    std::lock_guard lock(mutex_);
    return read_at_;
  }
  // The first text that was not the expected one.
  std::optional<std::string> wrong() const {
    std::lock_guard lock(mutex_);
    return wrong_;
  }

 private:
  const std::vector<std::string> expected_;
  const std::vector<std::string> others_;
  mutable std::mutex mutex_;
  std::optional<Clock::time_point> read_at_;
  std::optional<std::string> wrong_;
};

// The first 80 bytes of a text, with what is not printable ASCII as \xNN.
std::string printable(const std::string& text) {
  std::string out;
  for (const char c : text.substr(0, 80)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      out += hex;
    }
  }
  return out;
}

struct ClipTally {
  int read = 0;
  int wrong = 0;
  std::vector<double> first_read_ms;  // of the clips read
  std::vector<double> cpu_ms;         // per clip, until read or the second is over
  std::vector<double> decode_ms;      // the cheap passes' mean time per frame, per clip
  std::uint64_t dear_passes = 0;
};

// One clip: the empty counter, then the image for a second, in real time.
void play_clip(const cv::Mat& image, const std::vector<std::string>& expected,
               const std::vector<std::string>& others, bool dear, ClipTally& tally) {
  ClipSink sink(expected, others);
  drivers::DecodeStageOptions options;
  options.dear_passes = dear;
  drivers::DecodeStage stage(sink, options);
  frame::Frame counter = frame_from(cv::Mat(image.size(), CV_8UC3, cv::Scalar(128, 128, 128)));
  frame::Frame held = frame_from(image);
  auto at = Clock::now();
  std::uint64_t sequence = 0;
  const auto push = [&](frame::Frame& f) {
    std::this_thread::sleep_until(at);
    f.sequence = ++sequence;
    f.captured_at = Clock::now();
    stage.push(f);
    at += kFrameInterval;
  };
  for (int i = 0; i < kEmptyCounterFrames; ++i) push(counter);
  stage.drain(std::chrono::seconds(5));  // the empty counter read before the member comes
  at = Clock::now();
  const auto start = at;
  const double cpu_start = cpu_seconds();
  const auto deadline = start + std::chrono::seconds(1);
  for (int i = 0; i < kClipFrames && !sink.read_at(); ++i) push(held);
  while (!sink.read_at() && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const double cpu_ms = (cpu_seconds() - cpu_start) * 1e3;
  const auto read_at = sink.read_at();
  const bool read = read_at && *read_at <= deadline;
  tally.read += read;
  const auto wrong = sink.wrong();
  tally.wrong += wrong.has_value();
  if (wrong && g_list_misses) std::printf("  wrong text: %s\n", printable(*wrong).c_str());
  if (read) {
    tally.first_read_ms.push_back(
        std::chrono::duration<double, std::milli>(*read_at - start).count());
  }
  tally.cpu_ms.push_back(cpu_ms);
  const drivers::DecodeFigures figures = stage.figures();
  tally.decode_ms.push_back(figures.ms_per_frame);
  tally.dear_passes += figures.dear_passes_run;
}

struct ClipFolder {
  std::string name;
  int images = 0;
  Tally stills;
  ClipTally with_dear, cheap_only;
};

ClipFolder clip_folder(const fs::path& dir) {
  ClipFolder folder{dir.filename().string(), 0, {}, {}, {}};
  for (const fs::path& path : images_in(dir)) {
    const auto expected = expected_text(path);
    cv::Mat image = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (!expected || image.empty()) continue;
    if (!image.isContinuous()) image = image.clone();
    ++folder.images;
    const frame::FrameView view{image.data, image.cols, image.rows, static_cast<int>(image.step),
                                frame::FrameView::Format::bgr24};
    QrReader still(drivers::still_image_options());
    const auto begin = Clock::now();
    const std::vector<Decoded> found = still.read(view);
    const auto other = other_text(path);
    score(folder.stills, found, *expected,
          std::chrono::duration<double, std::milli>(Clock::now() - begin).count(), other);
    const int read_before = folder.with_dear.read, wrong_before = folder.with_dear.wrong;
    const std::vector<std::string> bytes = expected_bytes(*expected, found);
    const std::vector<std::string> others =
        other ? expected_bytes(*other, {}) : std::vector<std::string>{};
    play_clip(image, bytes, others, /*dear=*/true, folder.with_dear);
    play_clip(image, bytes, others, /*dear=*/false, folder.cheap_only);
    if (g_list_misses &&
        (folder.with_dear.read == read_before || folder.with_dear.wrong != wrong_before)) {
      std::printf("  camera %s: %s\n", path.filename().c_str(),
                  folder.with_dear.wrong != wrong_before ? "WRONG TEXT" : "missed");
    }
  }
  return folder;
}

void add_clips(ClipTally& total, const ClipTally& add) {
  total.read += add.read;
  total.wrong += add.wrong;
  total.dear_passes += add.dear_passes;
  for (auto [to, from] :
       {std::pair{&total.first_read_ms, &add.first_read_ms}, std::pair{&total.cpu_ms, &add.cpu_ms},
        std::pair{&total.decode_ms, &add.decode_ms}}) {
    to->insert(to->end(), from->begin(), from->end());
  }
}

void print_clip_row(const ClipFolder& f) {
  const auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
  };
  std::printf("%-12s %6d %6d %6d %6d   %3d/%d/%-3d", f.name.c_str(), f.images, f.stills.read,
              f.with_dear.read, f.cheap_only.read, f.stills.wrong, f.with_dear.wrong,
              f.cheap_only.wrong);
  for (const ClipTally* t : {&f.with_dear, &f.cheap_only}) {
    std::printf("  %7.1f %7.1f %7.1f %6.2f", percentile(t->first_read_ms, 0.5),
                percentile(t->first_read_ms, 0.95), mean(t->cpu_ms), percentile(t->decode_ms, 0.5));
  }
  std::printf(" %6llu\n", static_cast<unsigned long long>(f.with_dear.dear_passes));
}

int run_clips(const std::vector<fs::path>& folders) {
  std::printf(
      "kakunin-bench decode --clips: each image as a clip (%d frames of an empty counter, then the "
      "image for %d frames at 30 fps, real time) through a DecodeStage with its dear passes "
      "(camera) and without (cheap), beside the stills path; a read: the expected text within one "
      "second of the image's first frame\n",
      kEmptyCounterFrames, kClipFrames);
  std::printf("%-12s %6s %6s %6s %6s   %-9s  %-38s  %-38s %6s\n", "folder", "images", "stills",
              "camera", "cheap", "wrong s/c/c",
              "camera: 1st-read ms med p95, cpu ms/clip, decode ms/frame", "cheap: the same",
              "dear");
  ClipFolder total{"total", 0, {}, {}, {}};
  for (const fs::path& dir : folders) {
    const ClipFolder f = clip_folder(dir);
    print_clip_row(f);
    total.images += f.images;
    total.stills.read += f.stills.read;
    total.stills.wrong += f.stills.wrong;
    add_clips(total.with_dear, f.with_dear);
    add_clips(total.cheap_only, f.cheap_only);
  }
  print_clip_row(total);
  if (total.images == 0) return 1;
  std::printf(
      "clips: stills %d/%d camera %d/%d cheap-only %d/%d camera-wrong %d first-read-p95 %.1f ms "
      "decode-ms-median camera %.2f cheap %.2f\n",
      total.stills.read, total.images, total.with_dear.read, total.images, total.cheap_only.read,
      total.images, total.with_dear.wrong, percentile(total.with_dear.first_read_ms, 0.95),
      percentile(total.with_dear.decode_ms, 0.5), percentile(total.cheap_only.decode_ms, 0.5));
  return 0;
}

int run_decode(std::vector<std::string> dirs) {
  const auto misses = std::find(dirs.begin(), dirs.end(), "--misses");
  g_list_misses = misses != dirs.end();
  if (g_list_misses) dirs.erase(misses);
  const auto stills = std::find(dirs.begin(), dirs.end(), "--stills");
  g_stills = stills != dirs.end();
  if (g_stills) dirs.erase(stills);
  const auto clips = std::find(dirs.begin(), dirs.end(), "--clips");
  g_clips = clips != dirs.end();
  if (g_clips) dirs.erase(clips);
  if (dirs.empty()) {
    std::fprintf(stderr,
                 "usage: kakunin-bench decode [--stills | --clips] [--misses] DIR... (folders of "
                 "NAME.png|jpg|webp with NAME.txt)\n");
    return 2;
  }
  std::vector<fs::path> folders;
  for (const std::string& dir : dirs) {
    const auto found = folders_of(dir);
    if (found.empty()) {
      std::fprintf(stderr, "kakunin-bench: no images in %s\n", dir.c_str());
      return 2;
    }
    folders.insert(folders.end(), found.begin(), found.end());
  }
  if (g_clips) return run_clips(folders);
  std::printf(
      "kakunin-bench decode%s: each image once through the pipeline (%s) and each decoder alone\n",
      g_stills ? " --stills" : "", g_stills ? "as for still images" : "as for a camera stream");
  std::printf("(a read: the expected text is among the results; wrong: another text came out)\n");
  print_header();
  Folder total{"total", 0, {}};
  for (const fs::path& dir : folders) {
    const Folder f = bench_folder(dir);
    print_row(f);
    total.images += f.images;
    for (int c = 0; c < kContenders; ++c) {
      Tally& t = total.tally[static_cast<std::size_t>(c)];
      const Tally& add = f.tally[static_cast<std::size_t>(c)];
      t.read += add.read;
      t.wrong += add.wrong;
      t.ms.insert(t.ms.end(), add.ms.begin(), add.ms.end());
    }
  }
  print_row(total);
  if (total.images == 0) return 1;
  const auto& p = total.tally[0];
  const auto& zbar = total.tally[1];
  const int best_single = std::max({total.tally[1].read, total.tally[2].read, total.tally[3].read});
  const double p95 = percentile(p.ms, 0.95), zbar_p95 = percentile(zbar.ms, 0.95);
  std::printf("pipeline p95 / zbar-alone p95: %.2f; pipeline wrong texts: %d\n",
              zbar_p95 > 0 ? p95 / zbar_p95 : 0.0, p.wrong);
  std::printf("decode: pipeline %d/%d zbar %d/%d best-single %d/%d ms-median %.2f ms-p95 %.2f\n",
              p.read, total.images, zbar.read, total.images, best_single, total.images,
              percentile(p.ms, 0.5), p95);
  return 0;
}

// ------------------------------------------------------------ make-synthetic --

int qr_version(const std::string& text) {
  std::unique_ptr<QRinput, decltype(&QRinput_free)> input(QRinput_new2(0, QR_ECLEVEL_M),
                                                          QRinput_free);
  if (!input || QRinput_append(input.get(), QR_MODE_AN, static_cast<int>(text.size()),
                               reinterpret_cast<const unsigned char*>(text.data())) != 0) {
    return 0;
  }
  QRcode* code = QRcode_encodeInput(input.get());
  if (!code) return 0;
  const int version = code->version;
  QRcode_free(code);
  return version;
}

// Real JHC1 presentations of both profiles; names and kana of varying length make
// QR versions from about 10 to 20.
class PresentationMaker {
 public:
  explicit PresentationMaker(std::uint64_t seed) : random_(seed) {}

  std::string next() {
    using crypto::Algorithm;
    constexpr crypto::UnixSeconds kNow = 1795132800;
    crypto::Certificate member = signer::sample_certificate(
        std::uniform_int_distribution<int>(0, 1)(random_) ? "06139992" : "138057");
    // Different characters each time: JHC1 compresses, so repeated ones would not grow the QR.
    static constexpr std::string_view kKanji[] = {"佐", "藤", "鈴", "木", "高", "橋", "田", "中",
                                                  "伊", "渡", "辺", "山", "本", "村", "小", "林",
                                                  "加", "吉", "松", "井", "清", "水", "森", "池"};
    static constexpr std::string_view kKana[] = {"サ", "ト", "ウ", "ス", "ズ", "キ", "タ", "カ",
                                                 "ハ", "シ", "ナ", "ヤ", "マ", "モ", "リ", "イ",
                                                 "ケ", "コ", "ミ", "ヨ", "ワ", "ム", "ロ", "ノ"};
    const int extra = std::uniform_int_distribution<int>(0, 40)(random_);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(kKanji) - 1);
    for (int i = 0; i < extra; ++i) member.name += kKanji[pick(random_)];
    if (std::uniform_int_distribution<int>(0, 1)(random_)) {
      member.name_kana = "ミホン タロウ";
      for (int i = 0; i < extra; ++i) *member.name_kana += kKana[pick(random_)];
    }
    const bool holder_bound = std::uniform_int_distribution<int>(0, 1)(random_);
    const signer::SigningKey& insurer =
        std::uniform_int_distribution<int>(0, 1)(random_) ? es256_ : ed25519_;
    if (!holder_bound) {
      return signer::to_qr_text(
          signer::make_issuer_presentation({member, kNow, 300, signer::random_cti()}, insurer));
    }
    const crypto::Bytes credential =
        signer::make_credential({member, kNow - 86400, kNow - 86400, kNow + 30L * 86400,
                                 signer::random_cti(), phone_.public_key()},
                                insurer);
    return signer::to_qr_text(signer::make_holder_presentation(credential, kNow, phone_));
  }

 private:
  std::mt19937_64 random_;
  signer::SigningKey es256_ = signer::SigningKey::generate(crypto::Algorithm::es256);
  signer::SigningKey ed25519_ = signer::SigningKey::generate(crypto::Algorithm::ed25519);
  signer::SigningKey phone_ = signer::SigningKey::generate(crypto::Algorithm::es256);
};

int run_make_synthetic(const std::vector<std::string>& args) {
  std::string out_dir;
  long count = 300;
  std::uint64_t seed = 1;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    try {
      if (args[i] == "--count" && has_value) {
        count = std::stol(args[++i]);
      } else if (args[i] == "--seed" && has_value) {
        seed = std::stoull(args[++i]);
      } else if (out_dir.empty() && !args[i].starts_with("--")) {
        out_dir = args[i];
      } else {
        throw std::invalid_argument(args[i]);
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "kakunin-bench make-synthetic: bad argument %s\n", args[i].c_str());
      return 2;
    }
  }
  if (out_dir.empty() || count <= 0) {
    std::fprintf(stderr, "usage: kakunin-bench make-synthetic OUT_DIR [--count N] [--seed S]\n");
    return 2;
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "kakunin-bench make-synthetic: cannot create %s: %s\n", out_dir.c_str(),
                 ec.message().c_str());
    return 1;
  }
  // Sequences of 5 frames: one phone held up, shaking; each sequence its own seed,
  // difficulty (evenly spread over 0..1) and presentation.
  constexpr int kFramesPerPhone = 5;
  PresentationMaker maker(seed);
  std::map<int, int> versions;
  const long phones = (count + kFramesPerPhone - 1) / kFramesPerPhone;
  long written = 0;
  for (long phone = 0; phone < phones && written < count; ++phone) {
    const std::string text = maker.next();
    ++versions[qr_version(text)];
    drivers::SyntheticPhoneOptions options;
    options.seed = seed * 100003 + static_cast<std::uint64_t>(phone);
    options.difficulty =
        phones > 1 ? static_cast<double>(phone) / static_cast<double>(phones - 1) : 0.5;
    options.frames_per_presentation = 0;
    drivers::SyntheticPhoneSource source(options,
                                         [&](std::uint64_t) -> const std::string& { return text; });
    for (int f = 0; f < kFramesPerPhone && written < count; ++f, ++written) {
      const frame::Frame frame = source.render(static_cast<std::uint64_t>(f));
      const cv::Mat image(frame.height, frame.width, CV_8UC3,
                          const_cast<std::uint8_t*>(frame.pixels.data()),
                          static_cast<std::size_t>(frame.stride));
      char name[64];
      std::snprintf(name, sizeof name, "phone%04ld-frame%d", phone, f);
      const fs::path base = fs::path(out_dir) / name;
      if (!cv::imwrite(base.string() + ".jpg", image, {cv::IMWRITE_JPEG_QUALITY, 97})) {
        std::fprintf(stderr, "kakunin-bench make-synthetic: cannot write %s.jpg\n", base.c_str());
        return 1;
      }
      std::ofstream(base.string() + ".txt", std::ios::binary) << text;
    }
  }
  std::printf("wrote %ld frames (%ld phones) to %s; QR versions:", written, phones,
              out_dir.c_str());
  for (const auto& [version, n] : versions) std::printf(" v%d x%d", version, n);
  std::printf("\n");
  return 0;
}

}  // namespace

int run_decode_bench(const BenchOptions& options) { return run_decode(options.arguments); }
int run_make_synthetic_set(const BenchOptions& options) {
  return run_make_synthetic(options.arguments);
}

}  // namespace kakunin::bench
