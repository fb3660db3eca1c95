#!/usr/bin/env bash
# Stallion, PyTorch Forecasting's TFT tutorial set-up (examples/stallion.json), with each series' last 6 months
# held out as the test (the months PTF's tutorial validates on) and the 6 before them validating each epoch.
# Scored by `tempora evaluate` on the test, beside the last value on the same windows.
set -euo pipefail
shared="$1"; out="$2"; here="bench/accuracy/stallion"
ensemble=(); [[ -n "${STALLION_ENSEMBLE:-}" ]] && ensemble=(--ensemble "$STALLION_ENSEMBLE")   # K seeds, their median
./tempora train --config "$here/tft.json" --out "$out/tft" "${ensemble[@]}" --json > "$out/train.json"
./tempora evaluate --model "$out/tft" --config "$here/tft.json" --json > "$out/tft-test.json"
./tempora evaluate --model baseline --config "$here/tft.json" --json > "$out/baseline-test.json"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
tft = json.load(open(f"{out}/tft-test.json"))
base = json.load(open(f"{out}/baseline-test.json"))
train = json.load(open(f"{out}/train.json"))
print(f"{'':<34}{'test MAE':>10}{'test sMAPE':>12}")
print(f"{'last value':<34}{base['metrics']['mae']:>10.1f}{base['metrics']['smape']:>12.4f}")
print(f"{'Tempora TFT':<34}{tft['metrics']['mae']:>10.1f}{tft['metrics']['smape']:>12.4f}")
print(f"{'PTF TFT, best recorded (its val.)':<34}{254.6:>10.1f}")
epochs = f"best epoch {train['best_epoch']} of {train['epochs']}" if "best_epoch" in train else f"{len(train.get('members', []))} members"
print(f"windows {tft['windows']}: each series' last 6 months; {epochs}")
print(f"MAE {tft['metrics']['mae']:.1f}")
PY
