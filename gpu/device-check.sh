#!/usr/bin/env bash
# The GPU check of the CUDA backend, in one call on the lent GPU machine (which has CUDA and PyTorch but no
# Maven and no JDK):
#   bash gpu/device-check.sh prepare   here: builds the jars and a jlink'ed Java 25 runtime into .device/
#   bash gpu/device-check.sh run [--no-cpu-scaling] [--tests-only]
#                                      there: parity tests on the GPU, our SGEMM against torch.matmul, the
#                                      TFT step and its profile, the CPU step on 1..16 workers (about a
#                                      minute; --no-cpu-scaling leaves it out); results under $OUT (or
#                                      ./device-out): timings.json, profile.txt, device-check.log
# About 30 s on an H100 with --no-cpu-scaling, 90 s without.
# The device tool carries .device (git-ignored) with the working tree: device.run(command="bash
# gpu/device-check.sh run", carry=[".device"]).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stage="$root/.device"

prepare() {
  local java_home=""
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25*; do
    if [ -n "$d" ] && [ -x "$d/bin/jlink" ] && "$d/bin/java" -version 2>&1 | grep -q '"2[5-9]'; then java_home="$d"; break; fi
  done
  [ -n "$java_home" ] || { echo "device-check: needs a JDK 25 with jlink" >&2; exit 2; }
  export JAVA_HOME="$java_home"
  (cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -q -B -o -pl gpu -am \
      package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/test-classpath.txt)
  rm -rf "$stage"
  mkdir -p "$stage/lib"
  # What the parity tests and timings load; the data module's Parquet/Hadoop stack is never touched there.
  tr ':' '\n' <"$root/gpu/target/test-classpath.txt" | grep -v -E 'hadoop|parquet|jts-core|aircompressor|commons-math3|jopt' \
    | while read -r jar; do cp "$jar" "$stage/lib/"; done
  cp "$root/gpu/target/lib/tempora-gpu-"*.jar "$stage/lib/"
  # JCuda's natives jar holds every JCuda library (24 MB of them the PTX compiler's); the driver API's is
  # the one we load, so only it travels.
  local natives; natives=$(ls "$stage/lib/"jcuda-natives-*.jar)
  (cd "$stage" && mkdir -p natives && cd natives && unzip -q "$natives" 'lib/libJCudaDriver-*' 'META-INF/MANIFEST.MF' \
     && rm "$natives" && "$java_home/bin/jar" --create --file "$natives" --manifest META-INF/MANIFEST.MF lib) && rm -rf "$stage/natives"
  cp -r "$root/gpu/target/test-classes" "$stage/test-classes"
  # jdk.management + jdk.jfr: the DiagnosticCommand MBean lists its compiler commands only with both, and
  # the CPU kernels install their inlining directives through it (tensor.kernels.CompilerHints).
  "$java_home/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.incubator.vector,jdk.unsupported,jdk.zipfs,jdk.management,jdk.jfr \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$stage/jdk"
  # libjvm.so ships with its symbol table (30 MB); the check needs none of it.
  if command -v strip >/dev/null; then strip --strip-unneeded "$stage/jdk/lib/server/libjvm.so"; fi
  grep -qx '/.device/' "$root/.git/info/exclude" 2>/dev/null || echo '/.device/' >>"$root/.git/info/exclude"
  du -sh "$stage" "$stage/jdk" "$stage/lib"
}

run() {
  local out="${OUT:-$root/device-out}"
  mkdir -p "$out"
  [ -x "$stage/jdk/bin/java" ] || { echo "device-check: no $stage/jdk: run 'bash gpu/device-check.sh prepare' here and carry .device" >&2; exit 2; }
  { nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader
    grep -m1 'model name' /proc/cpuinfo; echo "cpus: $(nproc)"; date -u +%F; } | tee "$out/machine.txt" || true
  echo "== torch.matmul (cuBLAS SGEMM, TF32 off)"
  PYTHONUNBUFFERED=1 timeout 120 python3 "$root/gpu/tools/torch_matmul.py" 1024 2048 4096 | tee "$out/torch_matmul.jsonl" || true
  echo "== Tempora: parity tests and timings on the GPU"
  set -o pipefail
  "$stage/jdk/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m \
    -cp "$stage/test-classes:$stage/lib/*" dev.tempora.gpu.DeviceCheck "$out" "$stage/test-classes" "$@" 2>&1 | tee "$out/device-check.log"
}

case "${1:-}" in
  prepare) prepare ;;
  run) shift; run "$@" ;;
  *) echo "usage: bash gpu/device-check.sh prepare|run" >&2; exit 2 ;;
esac
