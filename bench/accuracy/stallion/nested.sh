#!/usr/bin/env bash
# A nested backtest that never reads the suite's test: the suite's config (tft.json, or it with another model
# section) with each series' last 12 months held out as its "test" (never read here), validating on the 6 before;
# the pseudo-test is origin 48, the 6 months after the validation (the suite's own validation months). One
# --refit ensemble run gives both models of each seed: OUT/model/member-i (refit) and OUT/model/member-i/validated
# (the first run's best epoch).
# Usage: bench/accuracy/stallion/nested.sh OUT [K] [FIRST_SEED] [MODEL_SECTION.json]
#   e.g. nested.sh /tmp/nested-nlinear 4 42 bench/accuracy/stallion/nlinear-model.json
# STALLION_BASE=CONFIG judges another data or data set section: the config whose copy is made (default tft.json).
# STALLION_HOLDOUT=18 holds out 18 months instead: validation on months 36-41 (January to June 2016), pseudo-test
# origin 42 (July to December 2016, the test's season a year earlier).
set -euo pipefail
out="$1"; k="${2:-4}"; first="${3:-42}"; model="${4:--}"; here="bench/accuracy/stallion"
mkdir -p "$out"
cfg="$out/nested.json"
holdout="${STALLION_HOLDOUT:-12}"; origin=$((60 - holdout))
python3 "$here/with-model.py" "${STALLION_BASE:-$here/tft.json}" "$model" "$cfg" "$holdout"
./tempora train --config "$cfg" --out "$out/model" --ensemble "$k" --ensemble-combine mean --refit --seed "$first" \
  --json > "$out/train.json"
validated=(); for m in $(seq 1 "$k"); do validated+=("$out/model/member-$m/validated"); done
./tempora ensemble --out "$out/model/validated-ensemble" --combine mean "${validated[@]}" > /dev/null
pseudo_test=(--backtest --from "$origin" --to "$origin" --stride 6 --json)
for m in $(seq 1 "$k"); do
  ./tempora evaluate --model "$out/model/member-$m" --config "$cfg" "${pseudo_test[@]}" > "$out/refit-$m.json"
  ./tempora evaluate --model "$out/model/member-$m/validated" --config "$cfg" "${pseudo_test[@]}" > "$out/validated-$m.json"
done
./tempora evaluate --model "$out/model" --config "$cfg" "${pseudo_test[@]}" > "$out/refit-ensemble.json"
./tempora evaluate --model "$out/model/validated-ensemble" --config "$cfg" "${pseudo_test[@]}" > "$out/validated-ensemble.json"
./tempora evaluate --model baseline --config "$cfg" "${pseudo_test[@]}" > "$out/baseline.json"
python3 - "$out" "$k" <<'PY'
import json, sys
out, k = sys.argv[1], int(sys.argv[2])
mae = lambda f: json.load(open(f"{out}/{f}.json"))["metrics"]["mae"]
train = json.load(open(f"{out}/train.json"))
for i in range(1, k + 1):
    m = train["members"][i - 1]
    print(f"seed {m['seed']}: best epoch {m['best_epoch']}, refit {m['refit_epochs']} epochs: "
          f"pseudo-test MAE validated {mae(f'validated-{i}'):.1f}, refit {mae(f'refit-{i}'):.1f}")
v = [mae(f"validated-{i}") for i in range(1, k + 1)]; r = [mae(f"refit-{i}") for i in range(1, k + 1)]
print(f"mean of the {k} seeds' MAE: validated {sum(v)/k:.1f}, refit {sum(r)/k:.1f}")
print(f"the {k} seeds' mean forecast: validated {mae('validated-ensemble'):.1f}, refit {mae('refit-ensemble'):.1f}")
print(f"last value {mae('baseline'):.1f}")
PY
