// The camera side of the counter, wired once for every loop (kakunin run, kakunin
// demo, the e2e benchmark):
//
//   FrameSource ─▶ FramePump ─┬─▶ DecodeStage ─▶ ScannedTexts (QR texts)
//                             └─▶ LatestFrame (preview, camera state, fps)
#pragma once

#include <kakunin/drivers/decode_stage.h>
#include <kakunin/drivers/frame_pump.h>
#include <kakunin/kiosk/screen_feed.h>

#include <memory>

namespace kakunin::kiosk {

class CameraPipeline {
 public:
  CameraPipeline(std::unique_ptr<drivers::FrameSource> source, ScannedTexts& texts, LatestFrame& frames);
  ~CameraPipeline();  // stops the pump before the decode stage goes

  void start() { pump_.start(); }
  void stop() { pump_.stop(); }
  // Staff pressed "read again": the decoder passes on a QR still in view once more.
  void reset_reader() { decoder_.reset(); }
  // An image folder or video read to its end, every frame decoded.
  bool ended();

 private:
  drivers::DecodeStage decoder_;  // declared first: outlives the pump that feeds it
  drivers::FramePump pump_;
};

}  // namespace kakunin::kiosk
