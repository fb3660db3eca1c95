#!/usr/bin/env bash
# Builds src/main/resources/dev/tempora/gpu/kernels.ptx from src/main/cuda with nvcc, when nvcc exists and the
# sources changed since the committed PTX was made (the PTX records a hash of its sources). Without nvcc the
# committed PTX is used as it is: the run-time machine needs only the NVIDIA driver, which JIT-compiles PTX
# for its own GPU.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sources="$here/src/main/cuda"
ptx="$here/src/main/resources/dev/tempora/gpu/kernels.ptx"
# compute_80: Ampere and newer (A100, L4, H100, ...) load it; the driver compiles it for the card at hand.
arch="${TEMPORA_PTX_ARCH:-compute_80}"
hash="$(cat "$sources"/*.cu "$sources"/*.cuh | sha256sum | cut -c1-16)-$arch"
if [ -f "$ptx" ] && head -n1 "$ptx" | grep -q "sources $hash"; then
  exit 0
fi
nvcc="${NVCC:-$(command -v nvcc || true)}"
if [ -z "$nvcc" ]; then
  if [ -f "$ptx" ]; then
    echo "build-ptx: no nvcc here; the committed kernels.ptx is older than src/main/cuda (sources $hash)" >&2
    exit 0
  fi
  echo "build-ptx: no nvcc and no committed kernels.ptx: the CUDA backend will report itself unavailable" >&2
  exit 0
fi
mkdir -p "$(dirname "$ptx")"
tmp="$(mktemp "$ptx.XXXXXX")"
trap 'rm -f "$tmp" "$tmp.ptx"' EXIT
# No --use_fast_math: the parity tests compare against the CPU's float32 reference to a few ulps.
"$nvcc" -ptx -O3 -std=c++17 -arch="$arch" -lineinfo -o "$tmp.ptx" "$sources/kernels.cu"
{ echo "// tempora kernels: sources $hash (gpu/build-ptx.sh; do not edit)"; cat "$tmp.ptx"; } >"$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$ptx"
echo "build-ptx: wrote $(basename "$ptx") ($(wc -c <"$ptx") bytes, $arch)" >&2
