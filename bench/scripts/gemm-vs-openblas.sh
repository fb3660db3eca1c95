#!/usr/bin/env bash
# Tempora's GEMM (JMH, bench/src/main/java/dev/tempora/bench/GemmBenchmark.java) beside OpenBLAS
# (Debian's python3-numpy) on this machine, in one run, as a Markdown table of GFLOP/s and ratios.
#
#   bench/scripts/gemm-vs-openblas.sh                 every shape of GemmBenchmark, 1 and 2 threads
#   bench/scripts/gemm-vs-openblas.sh 1024x1024x1024 29568x80x20     chosen shapes only
#   bench/scripts/gemm-vs-openblas.sh --runs 3 ...    repeat everything 3 times (a shared machine):
#                                                     the table gives medians over all runs
#
# Each measurement first waits (up to 2 minutes) for the CPUs to be idle, as other jobs on a
# shared machine would otherwise set the figures.
#
# Installs python3-numpy and OpenBLAS with apt-get when missing (Debian's numpy is linked against
# the generic libblas.so.3, which is the slow reference BLAS unless OpenBLAS provides it). OpenBLAS
# runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (its own CPU detection) and
# OPENBLAS_NUM_THREADS set to the thread count of each figure. Results land in bench/target/gemm/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/bench/target/gemm"
rm -rf "$out"
mkdir -p "$out"
runs=1
if [ "${1:-}" = "--runs" ]; then
  runs="${2:?--runs needs a count}"
  shift 2
fi

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/temurin-2[6-9]*; do
    if [ -x "$d/bin/java" ]; then JAVA_HOME="$d"; break; fi
  done
fi
export JAVA_HOME
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "needs Java 25+ (set JAVA_HOME)" >&2; exit 2; }

python=/usr/bin/python3   # Debian's Python, the one python3-numpy installs into
if ! "$python" -c 'import numpy' 2>/dev/null || ! "$python" "$root/bench/scripts/numpy_gemm.py" --info >/dev/null 2>&1; then
  echo "installing python3-numpy and OpenBLAS (apt-get)..." >&2
  apt-get install -y -q python3-numpy libopenblas0-pthread >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q python3-numpy libopenblas0-pthread >/dev/null; }
fi
if ! "$python" "$root/bench/scripts/numpy_gemm.py" --info >"$out/blas.json"; then
  echo "numpy does not run on OpenBLAS here: $(cat "$out/blas.json")" >&2
  exit 2
fi

echo "building the benchmarks..." >&2
(cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
  mvn -q -B -pl bench -am package -DskipTests)

jmh() {
  # JMH itself still uses sun.misc.Unsafe, which JDK 25 warns about.
  "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow \
    -cp "$root/bench/target/classes:$root/bench/target/lib/*" org.openjdk.jmh.Main "$@"
}
shapes=("$@")
if [ ${#shapes[@]} -eq 0 ]; then
  shapes=($(jmh GemmBenchmark -lp | sed -n 's/.*param "shape" = {\(.*\)}/\1/p' | tr -d ','))
fi

# On a shared machine, waits (up to 2 minutes) for the CPUs to be at least 90% idle over 2 s.
wait_for_idle_cpus() {
  local start=$SECONDS u1 n1 s1 i1 w1 x1 y1 z1 u2 n2 s2 i2 w2 x2 y2 z2 rest busy idle
  while [ $((SECONDS - start)) -lt 120 ]; do
    read -r _ u1 n1 s1 i1 w1 x1 y1 z1 rest </proc/stat
    sleep 2
    read -r _ u2 n2 s2 i2 w2 x2 y2 z2 rest </proc/stat
    busy=$(( (u2 + n2 + s2 + x2 + y2 + z2) - (u1 + n1 + s1 + x1 + y1 + z1) ))
    idle=$(( (i2 + w2) - (i1 + w1) ))
    if [ $((100 * idle)) -ge $((90 * (busy + idle))) ]; then
      return
    fi
  done
  echo "  (the CPUs stayed busy; measuring anyway)" >&2
}

# Shape by shape, Tempora then OpenBLAS, so both see the same machine load (it may be shared).
: >"$out/openblas.jsonl"
jsons=()
for run in $(seq "$runs"); do
  for shape in "${shapes[@]}"; do
    echo "run $run/$runs, $shape: Tempora (JMH)..." >&2
    wait_for_idle_cpus
    # JMH refuses to start while another JMH run holds /tmp/jmh.lock: wait for it (up to 30 min).
    for attempt in $(seq 180); do
      if jmh GemmBenchmark -p shape="$shape" -p threads=1,2 -rf json -rff "$out/tempora-$run-$shape.json" \
           >"$out/jmh-last.log" 2>&1; then
        cat "$out/jmh-last.log" >>"$out/jmh.log"
        break
      fi
      if ! grep -q "Unable to acquire the JMH lock" "$out/jmh-last.log" || [ "$attempt" -eq 180 ]; then
        tail -20 "$out/jmh-last.log" >&2
        exit 1
      fi
      [ "$attempt" -gt 1 ] || echo "  (another JMH run holds /tmp/jmh.lock; waiting for it)" >&2
      sleep 10
    done
    jsons+=("$out/tempora-$run-$shape.json")
    echo "run $run/$runs, $shape: OpenBLAS (numpy)..." >&2
    for threads in 1 2; do
      wait_for_idle_cpus
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$threads \
        "$python" "$root/bench/scripts/numpy_gemm.py" "$threads" "$shape" >>"$out/openblas.jsonl"
    done
  done
done
"$python" -c 'import json, sys
json.dump([r for path in sys.argv[2:] for r in json.load(open(path))], open(sys.argv[1], "w"), indent=1)' \
  "$out/tempora.json" "${jsons[@]}"

"$python" "$root/bench/scripts/gemm_table.py" "$out/tempora.json" "$out/openblas.jsonl" "$out/blas.json" | tee "$out/table.md"
