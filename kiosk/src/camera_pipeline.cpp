#include <kakunin/kiosk/camera_pipeline.h>

namespace kakunin::kiosk {

CameraPipeline::CameraPipeline(std::unique_ptr<drivers::FrameSource> source, ScannedTexts& texts,
                               LatestFrame& frames)
    : decoder_(texts), pump_(std::move(source)) {
  pump_.add_sink(decoder_);
  pump_.add_sink(frames);
}

CameraPipeline::~CameraPipeline() { pump_.stop(); }

bool CameraPipeline::ended() {
  return pump_.stats().status.state == drivers::SourceState::ended && decoder_.drain(std::chrono::milliseconds(0));
}

}  // namespace kakunin::kiosk
