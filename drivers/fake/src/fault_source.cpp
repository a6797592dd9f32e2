// The fault-injecting source: a scripted camera for tests of the fault model.
#include <kakunin/drivers/fault_source.h>

#include <thread>

namespace kakunin::drivers {

void FaultControl::queue(FaultStep step) {
  std::lock_guard lock(mutex_);
  script_.push_back(std::move(step));
}

void FaultControl::fail_next_opens(int count, std::string reason) {
  std::lock_guard lock(mutex_);
  failing_opens_ = count;
  open_failure_ = std::move(reason);
}

void FaultControl::release() {
  std::lock_guard lock(mutex_);
  released_flag_ = true;
  released_.notify_all();
}

int FaultControl::open_attempts() const {
  std::lock_guard lock(mutex_);
  return open_attempts_;
}

int FaultControl::opens() const {
  std::lock_guard lock(mutex_);
  return opens_;
}

int FaultControl::closes() const {
  std::lock_guard lock(mutex_);
  return closes_;
}

bool FaultControl::stuck() const {
  std::lock_guard lock(mutex_);
  return stuck_;
}

class FaultSource final : public FrameSource {
 public:
  FaultSource(std::shared_ptr<FaultControl> control, FaultSourceOptions options)
      : control_(std::move(control)), options_(options) {}

  std::string describe() const override { return "fault-injecting test camera"; }

  bool open(std::string& reason) override {
    std::lock_guard lock(control_->mutex_);
    ++control_->open_attempts_;
    if (control_->failing_opens_ != 0) {
      if (control_->failing_opens_ > 0) --control_->failing_opens_;
      reason = control_->open_failure_;
      return false;
    }
    ++control_->opens_;
    open_ = true;
    return true;
  }

  GrabResult grab() override {
    std::unique_lock lock(control_->mutex_);
    if (!open_) return SourceOffline{"fault source grabbed while closed"};
    auto& script = control_->script_;
    if (script.empty()) return healthy_frame(lock);
    auto& step = script.front();
    if (auto* frames = std::get_if<fault::Frames>(&step)) {
      if (--frames->count <= 0) script.pop_front();
      return healthy_frame(lock);
    }
    if (auto* gap = std::get_if<fault::Gap>(&step)) {
      if (--gap->grabs <= 0) script.pop_front();
      lock.unlock();
      std::this_thread::sleep_for(options_.grab_timeout);
      return NoFrameYet{};
    }
    if (auto* disconnect = std::get_if<fault::Disconnect>(&step)) {
      SourceOffline offline{disconnect->reason};
      script.pop_front();
      return offline;
    }
    if (std::holds_alternative<fault::Stuck>(step)) {
      script.pop_front();
      control_->stuck_ = true;
      control_->released_.wait_for(lock, options_.stuck_limit,
                                   [this] { return control_->released_flag_; });
      control_->released_flag_ = false;
      control_->stuck_ = false;
      return NoFrameYet{};
    }
    return EndOfStream{};  // fault::End stays at the head
  }

  void close() override {
    std::lock_guard lock(control_->mutex_);
    if (!open_) return;
    open_ = false;
    ++control_->closes_;
    auto& script = control_->script_;
    if (!script.empty() && std::holds_alternative<fault::Gap>(script.front())) script.pop_front();
  }

 private:
  GrabResult healthy_frame(std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    std::this_thread::sleep_for(options_.frame_interval);
    Frame frame;
    frame.width = options_.width;
    frame.height = options_.height;
    frame.stride = options_.width;
    frame.format = FrameView::Format::gray8;
    frame.sequence = ++sequence_;
    frame.pixels.assign(
        static_cast<std::size_t>(frame.stride) * static_cast<std::size_t>(frame.height),
        static_cast<std::uint8_t>(frame.sequence & 0xff));
    frame.captured_at = std::chrono::steady_clock::now();
    return GrabbedFrame{std::move(frame)};
  }

  std::shared_ptr<FaultControl> control_;
  FaultSourceOptions options_;
  bool open_ = false;  // only touched under control_->mutex_
  std::uint64_t sequence_ = 0;
};

std::unique_ptr<FrameSource> make_fault_source(std::shared_ptr<FaultControl> control,
                                               FaultSourceOptions options) {
  return std::make_unique<FaultSource>(std::move(control), options);
}

}  // namespace kakunin::drivers
