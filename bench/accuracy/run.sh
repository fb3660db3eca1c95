#!/usr/bin/env bash
# The accuracy suite: one real data set end to end through the command line, as a user would run it,
# scored only on data that training and model selection never saw (each config's "test" split).
#
#   bench/accuracy/run.sh NAME [OUT]     NAME: etth2 | m4-weekly | stallion | taxi
#
# Downloads nothing: the data comes from ../shared/data (the suite stops with a message when it is absent).
# Prints the data set's table; the last line is its headline figure (m4-weekly: "OWA <value>").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="${1:-}"
if [[ -z "$name" || ! -x "$here/$name/run.sh" ]]; then
  echo "usage: bench/accuracy/run.sh NAME [OUT], NAME one of: $(cd "$here" && ls -d */ | tr -d / | tr '\n' ' ')" >&2
  exit 2
fi
root="$(cd "$here/../.." && pwd)"
shared="$root/../shared/data"
if [[ ! -d "$shared" ]]; then
  echo "bench/accuracy: $shared is absent; the suite reads its data sets from there (see ../shared/README.md)" >&2
  exit 2
fi
out="${2:-$root/out/accuracy/$name}"
mkdir -p "$out"
cd "$root"
exec "$here/$name/run.sh" "$shared" "$out"
