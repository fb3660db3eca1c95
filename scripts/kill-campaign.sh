#!/usr/bin/env bash
# The kill -9 campaign: crash safety of training's output files, checked end to end.
#   scripts/kill-campaign.sh [kills] [seed] [work-dir]        (defaults: 10 kills, seed 1, a fresh temp dir)
# 1. Trains scripts/kill-campaign.json (taxi-small, 6 short epochs) uninterrupted: the reference.
# 2. Trains it again into another directory, killing the JVM with SIGKILL `kills` times: odd kills at a moment
#    drawn from the seed, even kills the instant a checkpoint write's temporary file (*.tmp) appears. Each
#    restart passes --resume once a last-state.safetensors exists. After every kill, whatever files are there
#    under their final names must read (scripts/CheckpointCheck.java loads).
# 3. Resumes to the end, then compares model.safetensors and last-state.safetensors with the reference's,
#    tensor by tensor, bit for bit (scripts/CheckpointCheck.java same), and those two and model.json byte for byte.
# Exit status 0 when every check holds. Takes a few minutes (about kills + 2 training runs).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills="${1:-10}"
seed="${2:-1}"
work="${3:-$(mktemp -d /tmp/tempora-kill-campaign.XXXXXX)}"
config="$root/scripts/kill-campaign.json"
reference="$work/reference"
out="$work/killed"
mkdir -p "$work"
RANDOM=$seed

"$root/tempora" info >/dev/null || exit 2 # builds the tool when needed
java=java
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/temurin-2[6-9]*; do
  if [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then java="$d/bin/java"; break; fi
done
check() { "$java" --add-modules jdk.incubator.vector -cp "$root/cli/target/lib/*" "$root/scripts/CheckpointCheck.java" "$@" 2>&1 | grep -v '^WARNING'; return "${PIPESTATUS[0]}"; }
# The launcher execs java, so the pid of a background launcher is the JVM's (a shell function would put a
# subshell in between, and kill -9 would leave the JVM running).
train=("$root/tempora" train --config "$config" --seed 7 --workers 2)

echo "kill campaign: $kills kills, seed $seed, in $work"
start=$(date +%s)
"${train[@]}" --out "$reference" >"$work/reference.log" 2>&1 || { echo "reference run failed: see $work/reference.log"; exit 1; }
duration=$(( $(date +%s) - start ))
echo "reference run: ${duration}s"

failures=0
done_early=0
for k in $(seq 1 "$kills"); do
  resume=()
  [ -f "$out/last-state.safetensors" ] && resume=(--resume)
  "${train[@]}" --out "$out" "${resume[@]}" >>"$work/killed.log" 2>&1 &
  pid=$!
  if [ $((k % 2)) -eq 1 ]; then
    # A moment drawn from the seed, between 1 s and 60% of an uninterrupted run (each restart pays the JVM's
    # start and the data's preparation again, so later kills still land before the end).
    delay_ms=$(( (RANDOM * 32768 + RANDOM) % (duration * 600) + 1000 ))
    how="at $((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))s"
    deadline=$(( $(date +%s%3N) + delay_ms ))
    while [ "$(date +%s%3N)" -lt $deadline ] && kill -0 $pid 2>/dev/null; do sleep 0.02; done
  else
    # Inside a checkpoint write: the instant a temporary file of an atomic write appears.
    temp=""
    while kill -0 $pid 2>/dev/null && [ -z "$temp" ]; do
      temp="$(find "$out" -maxdepth 1 -name '*.tmp' -printf '%f' -quit 2>/dev/null)"
      [ -n "$temp" ] || sleep 0.01
    done
    how="inside a write ($temp)"
  fi
  if ! kill -0 $pid 2>/dev/null; then
    wait $pid
    echo "kill $k: the run finished before the kill; stopping the kills"
    done_early=1
    break
  fi
  if [ "$(ps -o comm= -p $pid)" != java ]; then
    echo "kill $k: process $pid is $(ps -o comm= -p $pid), not the JVM; stopping" >&2
    kill $pid; exit 2
  fi
  kill -9 $pid
  wait $pid 2>/dev/null
  if check loads "$out" >"$work/check.$k.log"; then
    echo "kill $k $how: every file under its final name reads"
  else
    echo "kill $k $how: CORRUPT: $(cat "$work/check.$k.log")"
    failures=$((failures + 1))
  fi
done

if [ $done_early -eq 0 ]; then
  resume=()
  [ -f "$out/last-state.safetensors" ] && resume=(--resume)
  "${train[@]}" --out "$out" "${resume[@]}" >>"$work/killed.log" 2>&1 || { echo "final resume failed: see $work/killed.log"; exit 1; }
fi
for f in model.safetensors last-state.safetensors; do
  if check same "$reference/$f" "$out/$f"; then :; else echo "$f differs from the uninterrupted run"; failures=$((failures + 1)); fi
done
# The files are byte-reproducible too (issue 16): the same seed gives the same bytes, whatever the kills.
for f in model.safetensors model.json last-state.safetensors; do
  if cmp -s "$reference/$f" "$out/$f"; then echo "$f: byte for byte the uninterrupted run's"
  else echo "$f: bytes differ from the uninterrupted run's"; failures=$((failures + 1)); fi
done
if [ $failures -eq 0 ]; then echo "kill campaign passed ($work)"; else echo "kill campaign: $failures failed checks ($work)"; exit 1; fi
