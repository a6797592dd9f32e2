// The decode stage: a FrameSink that reads QR codes off the capture thread. It
// keeps only the newest frame (a camera outruns a busy decoder; an old frame is
// worth nothing, so frames are dropped and counted, never queued), reads it with
// a QrReader on its own worker thread, and hands each QR text to a QrTextSink
// once per sighting: the same text on consecutive frames is forwarded once, and
// again only after it has been out of sight for `forward_again_after` (or after
// reset()).
//
//   DecodeStage stage(verifier_sink);
//   FramePump pump(source, {&stage, &preview});   // the capture side pushes
//   ... stage.last_detection() for the preview, stage.figures() for the status page
//   ... stage.heartbeat() for the watchdog: waiting for a frame, or reading one since when
//
// The dear passes (QrReader::read_dear_pass: whole-frame WeChat, other scales,
// enlarged edge bands) are too slow for every frame but read what the cheap ones
// miss. A second worker runs them, one at a time within a share of each frame's
// time, on the newest frame where the cheap passes located a symbol they could not
// read, or where the scene changed from the empty counter and then held still (a
// phone held up); it abandons them when a cheap pass reads or the scene changes.
// docs/decoding.md has the schedule and its measured figures.
#pragma once

#include <kakunin/base/heartbeat.h>
#include <kakunin/drivers/frame_source.h>
#include <kakunin/drivers/qr_reader.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>

namespace kakunin::drivers {

struct DecodeStageOptions {
  QrReaderOptions reader;
  // A text seen again after this long out of sight is a new presentation.
  std::chrono::milliseconds forward_again_after{1500};
  // While the counter looks empty (QrReader::counter_looks_empty), frames are
  // read at most this often; the rest are dropped. A phone held up is still
  // seen within a tenth of a second, and an idle kiosk leaves the CPU alone.
  // 0: read every frame the worker can.
  double idle_frames_per_second = 15;
  // While the counter looks empty, a frame that shows the same scene as the last
  // one read (sensor noise aside) is not read at all; one is still read at least
  // this often, whatever the scene, in case a change was too faint to see.
  // 0: read every frame (no change detection).
  std::chrono::milliseconds read_unchanged_every{5000};
  // The dear passes in the background (see above); false: the cheap passes only.
  bool dear_passes = true;
  // What the dear passes may take of each frame's time, on average: after a pass
  // that took T the next waits until T x frame interval / budget has gone by, so
  // at 30 fps they use at most about 45% of one core, and a pass never delays
  // the cheap passes on the newest frame (they run on the other worker).
  std::chrono::milliseconds dear_budget_per_frame{15};
};

// Where the last QR was (for the preview's frame around it); empty corners when
// the last decoded frame had none.
struct Detection {
  std::vector<std::pair<int, int>> corners;  // frame pixels, clockwise from top-left
  std::uint64_t frame_sequence = 0;
  SteadyTime captured_at{};
};

// Upper bounds, in milliseconds, of the buckets DecodeFigures counts decode times
// in (the fleet metrics' histogram); one more bucket holds the slower reads.
inline constexpr std::array<double, 9> kDecodeMsBuckets{5, 10, 20, 50, 100, 200, 500, 1000, 2000};

struct DecodeFigures {
  std::uint64_t frames_pushed = 0;
  std::uint64_t frames_decoded = 0;
  std::uint64_t frames_dropped = 0;    // replaced by a newer frame before decoding
  std::uint64_t frames_unchanged = 0;  // not read: an empty counter, the scene unchanged
  std::uint64_t texts_forwarded = 0;
  std::uint64_t dear_passes_run = 0;
  std::uint64_t dear_texts_forwarded = 0;  // of texts_forwarded: read by a dear pass
  double dear_ms = 0;                      // the dear passes' time, all of it
  double ms_per_frame = 0;                 // mean decode time of the frames decoded
  double total_ms = 0;                     // of every frame decoded
  // Frames decoded per bucket of kDecodeMsBuckets (not cumulative); the last: slower.
  std::array<std::uint64_t, kDecodeMsBuckets.size() + 1> decoded_by_ms{};
};

class DecodeStage final : public FrameSink {
 public:
  // `clock` times the heartbeat only (tests pass a base::FakeClock); it must
  // outlive the stage.
  explicit DecodeStage(QrTextSink& sink, DecodeStageOptions options = {},
                       const base::Clock& clock = base::system_clock());
  ~DecodeStage() override;  // stops the worker after the frame it is reading
  DecodeStage(const DecodeStage&) = delete;
  DecodeStage& operator=(const DecodeStage&) = delete;

  // FrameSink, on the capture thread: copies the frame into the newest-frame slot.
  void push(const Frame& frame) override;
  // Passed on to the QrTextSink (an unplugged camera is news for the screen).
  void status(const SourceStatus& status) override;

  // Forgets which texts were seen (the next sighting of any is forwarded) and
  // where the last QR was: after a verdict is cleared from the screen.
  void reset();
  // Waits until every frame pushed so far has been decoded or dropped (a folder
  // or video source at its end); false if `timeout` passed first.
  bool drain(std::chrono::milliseconds timeout);

  Detection last_detection() const;
  DecodeFigures figures() const;
  // Waiting while there is no frame to read (or the idle pace holds it back),
  // working while the reader reads one.
  const base::Heartbeat& heartbeat() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakunin::drivers
