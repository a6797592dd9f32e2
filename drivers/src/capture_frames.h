// Private: turning an OpenCV image into a Frame that owns its pixels.
#pragma once

#include <kakunin/drivers/frame_source.h>

#include <opencv2/core.hpp>

namespace kakunin::drivers {

// A copy of `image` as gray8 (one channel) or bgr24 (three or four channels; alpha
// dropped). Deep, so the source may reuse its buffer after grab() returns.
Frame frame_from_mat(const cv::Mat& image, std::uint64_t sequence);

}  // namespace kakunin::drivers
