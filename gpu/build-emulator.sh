#!/usr/bin/env bash
# Builds the CPU emulation of the CUDA kernels (src/emulator) into $1/libtempora-cuda-emulator.so with g++,
# so the parity tests run on machines without a GPU. Without g++ nothing is built and those tests skip.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?output folder}"
sources="$here/src/main/cuda"
library="$out/libtempora-cuda-emulator.so"
command -v g++ >/dev/null 2>&1 || { echo "build-emulator: no g++; the emulated parity tests will skip" >&2; exit 0; }
mkdir -p "$out"
if [ -f "$library" ] && [ -z "$(find "$sources" "$here/src/emulator" -newer "$library" -print -quit)" ]; then
  exit 0
fi
# The registry: every KERNEL's name, in source order (a kernel may declare __launch_bounds__ before its name).
grep -ho '^KERNEL void \(__launch_bounds__([0-9, ]*) \)\?[A-Za-z0-9_]*' "$sources"/*.cuh "$sources"/*.cu |
  sed 's/KERNEL void \(__launch_bounds__([0-9, ]*) \)\?\(.*\)/TEMPORA_KERNEL(\2)/' >"$out/registry.inc"
g++ -O1 -g -std=c++17 -fPIC -shared -DTEMPORA_EMULATION -Wall -Wno-unused-function -Wno-unknown-pragmas \
  -I"$here/src/emulator" -I"$out" -o "$library.tmp" "$here/src/emulator/emulator.cpp"
mv -f "$library.tmp" "$library"
