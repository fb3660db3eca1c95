#!/usr/bin/env bash
# A nested backtest of training.refit that never reads the suite's test: nested.json holds out each series' last
# 12 months as its "test" (never read here) and validates on the 6 before; the pseudo-test is origin 48, the 6
# months after the validation (the suite's own validation months). One --refit ensemble run gives both models of
# each seed: DIR/member-i (refit) and DIR/member-i/validated (the first run's best epoch).
# Usage: bench/accuracy/stallion/nested.sh OUT [K] [FIRST_SEED]
set -euo pipefail
out="$1"; k="${2:-4}"; first="${3:-42}"; cfg="bench/accuracy/stallion/nested.json"
mkdir -p "$out"
./tempora train --config "$cfg" --out "$out/tft" --ensemble "$k" --ensemble-combine mean --refit --seed "$first" \
  --json > "$out/train.json"
mkdir -p "$out/tft/validated-ensemble"
python3 - "$out/tft" "$k" <<'PY'
import json, sys
d, k = sys.argv[1], int(sys.argv[2])
json.dump({"format": "tempora-ensemble", "version": 1, "combine": "mean",
           "members": [f"../member-{i}/validated" for i in range(1, k + 1)]}, open(f"{d}/validated-ensemble/ensemble.json", "w"))
PY
pseudo_test=(--backtest --from 48 --to 48 --stride 6 --json)
for m in $(seq 1 "$k"); do
  ./tempora evaluate --model "$out/tft/member-$m" --config "$cfg" "${pseudo_test[@]}" > "$out/refit-$m.json"
  ./tempora evaluate --model "$out/tft/member-$m/validated" --config "$cfg" "${pseudo_test[@]}" > "$out/validated-$m.json"
done
./tempora evaluate --model "$out/tft" --config "$cfg" "${pseudo_test[@]}" > "$out/refit-ensemble.json"
./tempora evaluate --model "$out/tft/validated-ensemble" --config "$cfg" "${pseudo_test[@]}" > "$out/validated-ensemble.json"
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
