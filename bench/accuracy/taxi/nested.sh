#!/usr/bin/env bash
# A nested backtest of the taxi suite that never reads its test week: the demo's data and model with each zone's
# last two weeks held out as the "test" (never read here), validating on the week before them (origin 1848, which
# chooses the best epoch); the pseudo-test is origin 2016, the suite's own validation week. One --refit ensemble
# run gives both models of each seed: OUT/model/member-i (refit on the training and validation rows for the best
# epoch count) and OUT/model/member-i/validated (the first run's best epoch).
# Usage: bench/accuracy/taxi/nested.sh DEMO_CONFIG OUT [K] [FIRST_SEED] [EPOCHS]
#   DEMO_CONFIG: the config.json a demo wrote (the suite's OUT/config.json, or `./tempora demo --out DIR`'s)
set -euo pipefail
demo="$1"; out="$2"; k="${3:-1}"; first="${4:-42}"; epochs="${5:-40}"
mkdir -p "$out"
cfg="$out/nested.json"
python3 - "$demo" "$cfg" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["dataset"]["test"] = {"last_steps": 336}
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
./tempora train --config "$cfg" --out "$out/model" --ensemble "$k" --ensemble-combine mean --refit --seed "$first" \
  --epochs "$epochs" --json > "$out/train.json"
pseudo_test=(--config "$cfg" --backtest --from 2016 --to 2016 --stride 168 --json)
for m in $(seq 1 "$k"); do
  ./tempora evaluate --model "$out/model/member-$m" "${pseudo_test[@]}" > "$out/refit-$m.json"
  ./tempora evaluate --model "$out/model/member-$m/validated" "${pseudo_test[@]}" > "$out/validated-$m.json"
done
./tempora evaluate --model baseline "${pseudo_test[@]}" > "$out/baseline.json"
python3 - "$out" "$k" <<'PY'
import json, sys
out, k = sys.argv[1], int(sys.argv[2])
mae = lambda f: json.load(open(f"{out}/{f}.json"))["metrics"]["mae"]
train = json.load(open(f"{out}/train.json"))
for i in range(1, k + 1):
    m = train["members"][i - 1]
    print(f"seed {m['seed']}: best epoch {m['best_epoch']}, refit {m['refit_epochs']} epochs: "
          f"pseudo-test (week 2016) MAE validated {mae(f'validated-{i}'):.3f}, refit {mae(f'refit-{i}'):.3f}")
print(f"last value {mae('baseline'):.3f}")
PY
