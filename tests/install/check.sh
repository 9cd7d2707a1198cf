#!/usr/bin/env bash
# Installs mrv from BUILD_DIR into a scratch prefix, builds a program that
# embeds libmrv with find_package(mrv), and runs it against the installed
# methodology library; also checks the pkg-config file and the binary.
set -euo pipefail
build_dir=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --prefix "$scratch/prefix" >/dev/null
mkdir -p "$scratch/consumer"
cp "$here/CMakeLists.txt.in" "$scratch/consumer/CMakeLists.txt"
cp "$here/main.cpp" "$scratch/consumer/"
cmake -S "$scratch/consumer" -B "$scratch/consumer/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/consumer/build" >/dev/null
MRV_METHODOLOGIES="$scratch/prefix/share/mrv/methodologies" "$scratch/consumer/build/consumer"
test -f "$scratch/prefix/lib/pkgconfig/mrv.pc"
MRV_METHODOLOGIES="$scratch/prefix/share/mrv/methodologies" "$scratch/prefix/bin/mrv" methodology list --format csv >/dev/null
echo "install: ok"
