#!/bin/sh
# One-command set-up on Debian 12 (as root): installs the missing Debian packages, builds, and
#   run   - runs the main job on the default OpenCL device
#   test  - runs the test suite (a normal build, then one with ASan + UBSan)
set -eu
cd "$(dirname "$0")/.."

PACKAGES="gcc make cmake pkg-config ocl-icd-opencl-dev opencl-c-headers pocl-opencl-icd
libclblast-dev libncurses-dev zlib1g-dev libpng-dev libcjson-dev liblapacke-dev
dataset-fashion-mnist tmux clinfo"

install_missing() {
  missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends $missing
}

build() { # build DIR [cmake flags...]
  dir="$1"; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

mode="${1:-run}"
case "$mode" in
  run)
    install_missing
    build build
    ./build/monoflow devices
    ./build/monoflow train
    ;;
  test)
    install_missing
    build build
    (cd build && ctest --output-on-failure)
    build build-asan -DMF_SANITIZE=ON
    (cd build-asan && ctest --output-on-failure)
    ;;
  *)
    echo "usage: sh scripts/setup.sh run|test" >&2
    exit 2
    ;;
esac
