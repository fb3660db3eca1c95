#!/usr/bin/env bash
# The demo's taxi data (built-in generator, 260 zones, hourly): `tempora demo` with a fixed number of epochs
# instead of a time budget, so the figure does not depend on the machine's speed. The demo holds each zone's
# last week out as the test (training and the choice of the best epoch never see it; the week before it
# validates) and scores the TFT, the last value and the seasonal naive forecast on it. Then the demo's config
# (its config.json) is trained again as an ensemble of TAXI_ENSEMBLE seeds (42, 43, ...; size and combination chosen
# on the validation week, README.md), each member refit on the training and validation weeks for its best epoch
# count (TAXI_REFIT=0: not; chosen by bench/accuracy/taxi/nested.sh, README.md), and scored on the same test; the
# validation week (origin 2016) is scored for the demo's model and the ensemble too (in-sample for a refit).
set -euo pipefail
shared="$1"; out="$2"
epochs="${TAXI_EPOCHS:-40}"
members="${TAXI_ENSEMBLE:-3}"               # 1: the demo's model alone
combine="${TAXI_COMBINE:-mean}"             # how the members' quantiles combine: mean or median
refit="${TAXI_REFIT:-1}"                    # 1: each member refit on training + validation (--refit)
./tempora demo --minutes 0 --epochs "$epochs" --out "$out" --json > "$out/metrics-stdout.json"
validation=(--config "$out/config.json" --backtest --from 2016 --to 2016 --stride 168 --json)
./tempora evaluate --model "$out" "${validation[@]}" > "$out/tft-validation.json"
./tempora evaluate --model baseline "${validation[@]}" > "$out/baseline-validation.json"
./tempora evaluate --model seasonal-naive --season 168 "${validation[@]}" > "$out/seasonal-naive-validation.json"
if [[ "$members" -gt 1 ]]; then
  refit_option=(); [[ "$refit" == 1 ]] && refit_option=(--refit)
  ./tempora train --config "$out/config.json" --out "$out/ensemble" --epochs "$epochs" --ensemble "$members" \
      --ensemble-combine "$combine" "${refit_option[@]}" --json > "$out/ensemble-train.json"
  ./tempora evaluate --model "$out/ensemble" --config "$out/config.json" \
      --json > "$out/ensemble-test.json"
  ./tempora evaluate --model "$out/ensemble" "${validation[@]}" \
      > "$out/ensemble-validation.json"
fi
python3 - "$out" "$members" "$combine" "$refit" <<'PY'
import json, sys
out, members, combine, refit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
m = json.load(open(f"{out}/metrics.json"))
val = lambda name: json.load(open(f"{out}/{name}-validation.json"))["metrics"]["mae"]
rows = [("last value", m["baseline"], val("baseline")), ("same hour last week", m["seasonal_naive"], val("seasonal-naive")),
        ("Tempora TFT (the demo)", m["tft"], val("tft"))]
if members > 1:
    name = f"TFT, {combine} of {members} seeds" + (", refit" if refit else "")
    rows.append((name, json.load(open(f"{out}/ensemble-test.json"))["metrics"], val("ensemble")))
print(f"{'':<34}{'val. MAE':>10}{'test MAE':>10}{'RMSE':>10}{'wQL':>8}")
for name, r, v in rows:
    in_sample = "*" if refit and name.endswith("refit") else ""
    print(f"{name:<34}{'' if v is None else f'{v:.3f}{in_sample}':>10}{r['mae']:>10.3f}{r['rmse']:>10.3f}{r['wql']:>8.3f}")
if refit and members > 1:
    print("* in-sample: the refit members trained on the validation week")
print(f"scored on: {m['scored_on']}; validation: each zone's week before it; "
      f"{m['training']['epochs']} epochs, best {m['training']['best_epoch']}")
print(f"MAE ratio to the last value {rows[-1][1]['mae'] / m['baseline']['mae']:.3f}")
PY
