// The video module (libkakunin-video.so, video_file.h): video files through
// libav* — demux, decode, convert to BGR. Loaded by VideoFile::open on first use,
// so FFmpeg is mapped only into a process that reads a video file.
#include "video_file.h"

#include "image_formats.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <array>
#include <mutex>
#include <string>

namespace kakunin::drivers {

using frame::Frame;

namespace {

// The containers a webcam, a phone or a screen recorder writes. Not every demuxer:
// image2 would take a broken file for a numbered picture sequence, and the
// playlist formats (hls, concat) open further files.
constexpr const char* kContainers = "avi,mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,mpeg,mjpeg";

std::string av_error_text(int error) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
  av_strerror(error, text.data(), text.size());
  return text.data();
}

// FFmpeg writes warnings about every damaged packet to stderr; the source reports
// what matters itself, once, in its reason.
void quiet_ffmpeg_log() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

struct FormatClose {
  void operator()(AVFormatContext* format) const { avformat_close_input(&format); }
};
struct CodecFree {
  void operator()(AVCodecContext* codec) const { avcodec_free_context(&codec); }
};
struct FrameFree {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketFree {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct ScaleFree {
  void operator()(SwsContext* scale) const { sws_freeContext(scale); }
};

struct State {
  ImageLimits limits;
  std::unique_ptr<AVFormatContext, FormatClose> format;
  std::unique_ptr<AVCodecContext, CodecFree> codec;
  std::unique_ptr<AVFrame, FrameFree> decoded{av_frame_alloc()};
  std::unique_ptr<AVPacket, PacketFree> packet{av_packet_alloc()};
  std::unique_ptr<SwsContext, ScaleFree> scale;
  int stream = -1;
  double fps = 0;
  bool draining = false;  // the file is read to its end; the decoder gives what it holds
};

base::Result<std::unique_ptr<AVFormatContext, FormatClose>> open_container(
    const std::filesystem::path& path) {
  AVDictionary* options = nullptr;
  av_dict_set(&options, "protocol_whitelist", "file", 0);
  av_dict_set(&options, "format_whitelist", kContainers, 0);
  AVFormatContext* format = nullptr;
  const int opened = avformat_open_input(&format, path.c_str(), nullptr, &options);
  av_dict_free(&options);
  if (opened < 0) return base::Error{av_error_text(opened)};
  std::unique_ptr<AVFormatContext, FormatClose> owned(format);
  const int found = avformat_find_stream_info(format, nullptr);
  if (found < 0) return base::Error{av_error_text(found)};
  return owned;
}

base::Status open_decoder(State& state) {
  const AVCodec* decoder = nullptr;
  state.stream = av_find_best_stream(state.format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
  if (state.stream < 0 || decoder == nullptr) return base::Error{"no video stream it can decode"};
  AVStream* stream = state.format->streams[state.stream];
  const AVCodecParameters* parameters = stream->codecpar;
  if (auto refused = check_dimensions(parameters->width, parameters->height, state.limits)) {
    return *refused;
  }
  state.codec.reset(avcodec_alloc_context3(decoder));
  if (!state.codec || avcodec_parameters_to_context(state.codec.get(), parameters) < 0) {
    return base::Error{"cannot set up the decoder"};
  }
  // libavcodec checks every frame against this before allocating it, also when the
  // size changes in mid-stream.
  state.codec->max_pixels = state.limits.max_pixels;
  state.codec->thread_count = 1;  // the kiosk's cores belong to the QR readers
  const int opened = avcodec_open2(state.codec.get(), decoder, nullptr);
  if (opened < 0) return base::Error{"cannot open the decoder: " + av_error_text(opened)};
  const AVRational rate = av_guess_frame_rate(state.format.get(), stream, nullptr);
  state.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
  return {};
}

base::Result<Frame> to_bgr(State& state) {
  const AVFrame& decoded = *state.decoded;
  if (auto refused = check_dimensions(decoded.width, decoded.height, state.limits)) return *refused;
  // SWS_BICUBIC: OpenCV's videoio converted with it, so frames look as they did.
  state.scale.reset(sws_getCachedContext(state.scale.release(), decoded.width, decoded.height,
                                         static_cast<AVPixelFormat>(decoded.format), decoded.width,
                                         decoded.height, AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr,
                                         nullptr, nullptr));
  if (!state.scale) return base::Error{"a frame in a pixel format it cannot convert"};
  Frame frame = blank_frame(decoded.width, decoded.height, frame::FrameView::Format::bgr24);
  std::uint8_t* rows[1] = {frame.pixels.data()};
  const int strides[1] = {frame.stride};
  sws_scale(state.scale.get(), decoded.data, decoded.linesize, 0, decoded.height, rows, strides);
  return frame;
}

class FfmpegVideoFile final : public VideoFile {
 public:
  explicit FfmpegVideoFile(std::unique_ptr<State> state) : state_(std::move(state)) {}
  double frames_per_second() const override { return state_->fps; }
  VideoRead next() override;

 private:
  std::unique_ptr<State> state_;
};

base::Result<std::unique_ptr<VideoFile>> open_video(const std::filesystem::path& path,
                                                    const ImageLimits& limits) {
  quiet_ffmpeg_log();
  auto state = std::make_unique<State>();
  state->limits = limits;
  if (!state->decoded || !state->packet) return base::Error{"out of memory"};
  auto format = open_container(path);
  if (!format.ok()) return format.error();
  state->format = std::move(format.value());
  if (auto decoder = open_decoder(*state); !decoder.ok()) return decoder.error();
  return std::unique_ptr<VideoFile>(new FfmpegVideoFile(std::move(state)));
}

VideoRead FfmpegVideoFile::next() {
  State& state = *state_;
  for (;;) {
    const int received = avcodec_receive_frame(state.codec.get(), state.decoded.get());
    if (received == 0) {
      auto frame = to_bgr(state);
      av_frame_unref(state.decoded.get());
      if (!frame.ok()) return frame.error();
      return std::move(frame.value());
    }
    if (received == AVERROR_EOF) return VideoEnded{};
    // "Needs input", or a damaged frame (skipped: the next one may be fine).
    if (received != AVERROR(EAGAIN) && received != AVERROR_INVALIDDATA) {
      return base::Error{"cannot decode: " + av_error_text(received)};
    }
    if (state.draining) return VideoEnded{};
    const int read = av_read_frame(state.format.get(), state.packet.get());
    if (read == AVERROR_EOF) {
      state.draining = true;
      avcodec_send_packet(state.codec.get(), nullptr);  // flush the frames it holds
      continue;
    }
    if (read < 0) return base::Error{"cannot read: " + av_error_text(read)};
    if (state.packet->stream_index == state.stream) {
      // A packet the decoder refuses (damaged) is dropped; the stream goes on.
      (void)avcodec_send_packet(state.codec.get(), state.packet.get());
    }
    av_packet_unref(state.packet.get());
  }
}

}  // namespace
}  // namespace kakunin::drivers

// The module's one exported symbol (everything else is hidden).
extern "C" __attribute__((visibility("default"))) const kakunin::drivers::VideoModule*
kakunin_video_module() {
  static const kakunin::drivers::VideoModule module{kakunin::drivers::kVideoModuleAbi,
                                                    &kakunin::drivers::open_video};
  return &module;
}
