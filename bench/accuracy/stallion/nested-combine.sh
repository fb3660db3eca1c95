#!/usr/bin/env bash
# Scores on the nested backtest's pseudo-test (origin 48, or 42 with STALLION_HOLDOUT=18; the suite's test never read) the mean forecast of every
# refit member of several nested.sh runs, e.g. a TFT run and an NLinear run: one ensemble of both kinds.
# Usage: bench/accuracy/stallion/nested-combine.sh OUT RUN...   (each RUN an OUT of nested.sh)
set -euo pipefail
out="$1"; shift
mkdir -p "$out"
runs=(); for run in "$@"; do runs+=("$run/model"); done
./tempora ensemble --out "$out" --combine mean "${runs[@]}"
./tempora evaluate --model "$out" --config "$1/nested.json" --backtest --from "$((60 - ${STALLION_HOLDOUT:-12}))" --to "$((60 - ${STALLION_HOLDOUT:-12}))" --stride 6 --json \
  > "$out/pseudo-test.json"
python3 -c "import json, sys; print(f\"the members' mean forecast: pseudo-test MAE {json.load(open(sys.argv[1]))['metrics']['mae']:.1f}\")" \
  "$out/pseudo-test.json"
