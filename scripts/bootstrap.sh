#!/usr/bin/env bash
# Installs what mrv needs from Debian's packages (when missing) and builds it.
#   scripts/bootstrap.sh                     # build/ (RelWithDebInfo)
#   scripts/bootstrap.sh --tests             # also what the tests drive: headless
#                                            # Chromium, LibreOffice, GNU parallel,
#                                            # clang with libFuzzer
#   BUILD_DIR=build-asan CMAKE_ARGS="-DMRV_SANITIZE=ON" scripts/bootstrap.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ binutils pkg-config libcli11-dev libfmt-dev libyaml-cpp-dev doctest-dev
          nlohmann-json3-dev libssl-dev libxlsxwriter-dev python3 clang)
if [[ ${1:-} == --tests ]]; then
  packages+=(chromium libreoffice-calc-nogui fonts-noto-cjk parallel clang libclang-rt-14-dev
            clang-format clang-tidy gcovr slurm-wlm munge python3-yaml)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "bootstrap: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir=${BUILD_DIR:-build}
# shellcheck disable=SC2086 # CMAKE_ARGS is a list of arguments
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir"
