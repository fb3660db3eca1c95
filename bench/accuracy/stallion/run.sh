#!/usr/bin/env bash
# Stallion, PyTorch Forecasting's TFT tutorial set-up (examples/stallion.json), with each series' last 6 months
# held out as the test (the months PTF's tutorial validates on) and the 6 before them validating each epoch.
# Scored by `tempora evaluate` on the test, beside the last value on the same windows; the validation window
# (origin 48: the 6 months before the test) is scored too, since the ensemble's size and combination were
# chosen there (README.md). Each member is refit (training.refit: retrained on the training and validation rows
# for its best epoch count), chosen by the nested backtest of nested.sh, which never reads the test; the
# validation score of a refit model is in-sample (it trained on those months), so it is printed as such.
set -euo pipefail
shared="$1"; out="$2"; here="bench/accuracy/stallion"
members="${STALLION_ENSEMBLE:-8}"            # K seeds 42 ... 42 + K - 1; 1: a single model
combine="${STALLION_COMBINE:-mean}"          # how the members' quantiles combine: mean or median
refit="${STALLION_REFIT:-1}"                 # 1: --refit (the default); 0: the first run's best epoch
options=(); [[ "$members" -gt 1 ]] && options=(--ensemble "$members" --ensemble-combine "$combine")
[[ "$refit" == 1 ]] && options+=(--refit)
validation=(--backtest --from 48 --to 48 --stride 6)
./tempora train --config "$here/tft.json" --out "$out/tft" "${options[@]}" --json > "$out/train.json"
./tempora evaluate --model "$out/tft" --config "$here/tft.json" --json > "$out/tft-test.json"
./tempora evaluate --model "$out/tft" --config "$here/tft.json" "${validation[@]}" --json > "$out/tft-validation.json"
./tempora evaluate --model baseline --config "$here/tft.json" --json > "$out/baseline-test.json"
./tempora evaluate --model baseline --config "$here/tft.json" "${validation[@]}" --json > "$out/baseline-validation.json"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
tft = json.load(open(f"{out}/tft-test.json"))
base = json.load(open(f"{out}/baseline-test.json"))
val_tft = json.load(open(f"{out}/tft-validation.json"))["metrics"]
val_base = json.load(open(f"{out}/baseline-validation.json"))["metrics"]
train = json.load(open(f"{out}/train.json"))
refit = train.get("refit_epochs", 0) > 0 or any(m.get("refit_epochs", 0) > 0 for m in train.get("members", []))
print(f"{'':<34}{'val. MAE' + ('*' if refit else ''):>10}{'test MAE':>10}{'test sMAPE':>12}")
print(f"{'last value':<34}{val_base['mae']:>10.1f}{base['metrics']['mae']:>10.1f}"
      f"{base['metrics']['smape']:>12.4f}")
print(f"{'Tempora TFT':<34}{val_tft['mae']:>10.1f}{tft['metrics']['mae']:>10.1f}{tft['metrics']['smape']:>12.4f}")
print(f"{'PTF TFT, best recorded (its val.)':<34}{'':>10}{254.6:>10.1f}")
if "best_epoch" in train:
    model = f"one model, best epoch {train['best_epoch']} of {train['epochs']}"
else:
    model = f"the {train['combine']} of {len(train['members'])} seeds"
if refit:
    epochs = [train["refit_epochs"]] if "refit_epochs" in train and train["refit_epochs"] else \
        [m["refit_epochs"] for m in train.get("members", [])]
    model += f", refit on the training and validation rows for {epochs} epochs (*: in-sample)"
print(f"windows {tft['windows']}: each series' last 6 months; validation: the 6 months before; {model}")
print(f"MAE {tft['metrics']['mae']:.1f}")
PY
