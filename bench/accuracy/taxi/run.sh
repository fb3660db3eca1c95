#!/usr/bin/env bash
# The demo's taxi data (built-in generator, 260 zones, hourly): `tempora demo` with a fixed number of epochs
# instead of a time budget, so the figure does not depend on the machine's speed. The demo holds each zone's
# last week out as the test (training and the choice of the best epoch never see it; the week before it
# validates) and scores the TFT, the last value and the seasonal naive forecast on it. Then the demo's config
# (its config.json) is trained again as an ensemble of TAXI_ENSEMBLE seeds (42, 43, ...; size and combination chosen
# on the validation week, README.md) and scored on the same test; the validation week (origin 2016) is scored
# for the demo's model and the ensemble too.
set -euo pipefail
shared="$1"; out="$2"
epochs="${TAXI_EPOCHS:-40}"
members="${TAXI_ENSEMBLE:-3}"               # 1: the demo's model alone
combine="${TAXI_COMBINE:-mean}"             # how the members' quantiles combine: mean or median
./tempora demo --minutes 0 --epochs "$epochs" --out "$out" --json > "$out/metrics-stdout.json"
validation=(--config "$out/config.json" --backtest --from 2016 --to 2016 --stride 168 --json)
./tempora evaluate --model "$out" "${validation[@]}" > "$out/tft-validation.json"
./tempora evaluate --model baseline "${validation[@]}" > "$out/baseline-validation.json"
./tempora evaluate --model seasonal-naive --season 168 "${validation[@]}" > "$out/seasonal-naive-validation.json"
if [[ "$members" -gt 1 ]]; then
  ./tempora train --config "$out/config.json" --out "$out/ensemble" --epochs "$epochs" --ensemble "$members" \
      --ensemble-combine "$combine" --json > "$out/ensemble-train.json"
  ./tempora evaluate --model "$out/ensemble" --config "$out/config.json" \
      --json > "$out/ensemble-test.json"
  ./tempora evaluate --model "$out/ensemble" "${validation[@]}" \
      > "$out/ensemble-validation.json"
fi
python3 - "$out" "$members" "$combine" <<'PY'
import json, sys
out, members, combine = sys.argv[1], int(sys.argv[2]), sys.argv[3]
m = json.load(open(f"{out}/metrics.json"))
val = lambda name: json.load(open(f"{out}/{name}-validation.json"))["metrics"]["mae"]
rows = [("last value", m["baseline"], val("baseline")), ("same hour last week", m["seasonal_naive"], val("seasonal-naive")),
        ("Tempora TFT (the demo)", m["tft"], val("tft"))]
if members > 1:
    rows.append((f"TFT, {combine} of {members} seeds", json.load(open(f"{out}/ensemble-test.json"))["metrics"], val("ensemble")))
print(f"{'':<26}{'val. MAE':>10}{'test MAE':>10}{'RMSE':>10}{'wQL':>8}")
for name, r, v in rows:
    print(f"{name:<26}{'' if v is None else f'{v:.3f}':>10}{r['mae']:>10.3f}{r['rmse']:>10.3f}{r['wql']:>8.3f}")
print(f"scored on: {m['scored_on']}; validation: each zone's week before it; "
      f"{m['training']['epochs']} epochs, best {m['training']['best_epoch']}")
print(f"MAE ratio to the last value {rows[-1][1]['mae'] / m['baseline']['mae']:.3f}")
PY
