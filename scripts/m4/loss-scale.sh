#!/usr/bin/env bash
# Trains the TFT on M4 Weekly with "training": {"loss_scale": "target"} and with "normalised", forecasts the 13 weeks
# after each training row and scores them on the M4 test file (sMAPE, MASE, OWA against Naive).
#   scripts/m4/loss-scale.sh [work-dir] [seed] [target_normalizer JSON]
# Defaults: /tmp/tempora-m4, seed 42, {"type": "EncoderNormalizer"}. Needs ../shared/data/m4-weekly-{train,test}.csv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-/tmp/tempora-m4}"
seed="${2:-42}"
default_normalizer='{"type": "EncoderNormalizer"}'
normalizer="${3:-$default_normalizer}"
data="$root/../shared/data"
[ -f "$data/m4-weekly-train.csv" ] || { echo "no $data/m4-weekly-train.csv (see ../shared/data/README)" >&2; exit 2; }
mkdir -p "$work"
python3 "$here/m4_long.py" "$data/m4-weekly-train.csv" "$work/train-long.csv"
for scale in target normalised; do
  python3 - "$here/m4-weekly.json" "$work/m4-$scale.json" "$scale" "$seed" "$normalizer" <<'PY'
import json, sys
source, out, scale, seed, normalizer = sys.argv[1:]
c = json.load(open(source))
c["training"].update({"loss_scale": scale, "seed": int(seed)})
c["dataset"]["target_normalizer"] = json.loads(normalizer)
json.dump(c, open(out, "w"), indent=1)
PY
  "$root/tempora" train --config "$work/m4-$scale.json" --out "$work/$scale" > "$work/$scale.log" 2>&1
  "$root/tempora" predict --model "$work/$scale" --data "$work/train-long.csv" --out "$work/$scale/forecast.csv" >> "$work/$scale.log" 2>&1
  echo "$scale: $(python3 "$here/m4_score.py" "$data/m4-weekly-train.csv" "$data/m4-weekly-test.csv" "$work/$scale/forecast.csv")"
done
