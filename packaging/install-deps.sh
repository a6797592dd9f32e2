#!/usr/bin/env bash
# Installs every Debian 12 package Kakunin needs to build, test and run.
# Idempotent: safe to run again; apt-get skips what is already installed.
# Run as root on a fresh Debian 12 machine.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git
  clang libclang-rt-14-dev llvm
  clang-format clang-tidy  # .ci/format-check and .ci/tidy: the tree follows its own style files
  # crypto, compression, data formats
  libssl-dev zlib1g-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libsqlite3-dev libxml2-dev  # libxml2: the online check reads the 連携アプリ's answers
  libcbor-dev  # the differential fuzz target's second CBOR decoder
  # capture and decode
  libzbar-dev libopencv-dev libopencv-contrib-dev libzxing-dev libqrencode-dev
  # still images and MJPEG frames without OpenCV's imgcodecs (it maps GDAL and gdcm):
  # libjpeg-turbo, libpng (listed under screens), libwebp, libtiff
  libturbojpeg0-dev libwebp-dev libtiff-dev
  # video files without OpenCV's videoio: FFmpeg's libraries directly
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  # network
  libcurl4-openssl-dev libcpp-httplib-dev openssl
  # the systemd watchdog and readiness (sd_notify)
  libsystemd-dev
  # screens
  libsdl2-dev libsdl2-ttf-dev fonts-noto-cjk
  libicu-dev  # line breaks at Japanese phrase boundaries (ICU 72's lw=phrase)
  libpng-dev  # screenshots (already pulled in by libfreetype-dev; named for clarity)
  # tests
  libgtest-dev libgmock-dev libbenchmark-dev xvfb xauth x11-apps imagemagick chromium
  # packaging checks (CPack .deb, systemd-analyze verify)
  dpkg-dev fakeroot systemd
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}); run this script as root" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${#missing[@]} packages"
