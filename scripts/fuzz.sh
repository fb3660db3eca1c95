#!/usr/bin/env bash
# Fuzzes every reader of untrusted input (the @FuzzTest methods of the fuzz module: CSV, Parquet, the training
# config, safetensors, model.json) for a bounded time each, with coverage guidance from Jazzer.
#   scripts/fuzz.sh [seconds-per-target] [test-class-pattern]     (defaults: 20 seconds, every *FuzzTest)
# About 5 x (seconds + 15) seconds in all. A finding fails the run and is written by Jazzer as a new input under
# fuzz/src/test/resources/.../<Test>Inputs/<method>/: commit it with the fix, and `./tempora test` replays it
# from then on. New coverage-increasing inputs collect in fuzz/.cifuzz-corpus (not committed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-20}"
tests="${2:-*FuzzTest}"
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: seconds-per-target must be a whole number, got '$seconds'" >&2; exit 2;; esac
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/temurin-2[6-9]*; do
    if [ -x "$d/bin/java" ]; then export JAVA_HOME="$d"; break; fi
  done
fi
cd "$root"
exec env MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
  mvn -B -ntp -P fuzz -pl fuzz -am verify "-Dtest=$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  "-Dfuzz.duration=${seconds}s"
