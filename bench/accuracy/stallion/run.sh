#!/usr/bin/env bash
# Stallion, PyTorch Forecasting's TFT tutorial set-up (examples/stallion.json), with each series' last 6 months
# held out as the test (the months PTF's tutorial validates on) and the 6 before them validating each epoch.
# Scored by `tempora evaluate` on the test, beside the last value on the same windows; the validation window
# (origin 48: the 6 months before the test) is scored too, since the ensemble's size and combination were
# chosen there (README.md). Each member is refit (training.refit: retrained on the training and validation rows
# for its best epoch count), chosen by the nested backtest of nested.sh, which never reads the test; the
# validation score of a refit model is in-sample (it trained on those months), so it is printed as such.
# The headline is one ensemble of three kinds: the K refit TFTs, K refit NLinear models (the same data set with
# NLinear's model section, nlinear-model.json) and K/2 refit tree models (trees-model.json), each tree model listed
# twice so that the kinds weigh alike, all members' forecasts averaged; the nested backtest chose it (README.md).
# The TFTs and NLinears without the trees, and each kind alone, are printed beside it, not chosen on.
set -euo pipefail
shared="$1"; out="$2"; here="bench/accuracy/stallion"
members="${STALLION_ENSEMBLE:-8}"            # K seeds 42 ... 42 + K - 1; 1: a single model
combine="${STALLION_COMBINE:-mean}"          # how the members' quantiles combine: mean or median
refit="${STALLION_REFIT:-1}"                 # 1: --refit (the default); 0: the first run's best epoch
nlinear="${STALLION_NLINEAR:-1}"             # 1: K NLinear members beside the K TFTs (the default); 0: TFTs alone
trees="${STALLION_TREES:-1}"                 # 1: K/2 tree members, each counted twice (the default); 0: none
options=(); [[ "$members" -gt 1 ]] && options=(--ensemble "$members" --ensemble-combine "$combine")
[[ "$refit" == 1 ]] && options+=(--refit)
validation=(--backtest --from 48 --to 48 --stride 6)
./tempora train --config "$here/tft.json" --out "$out/tft" "${options[@]}" --json > "$out/train.json"
models=(tft)
if [[ "$nlinear" == 1 ]]; then
  python3 "$here/with-model.py" "$here/tft.json" "$here/nlinear-model.json" "$out/nlinear.json"
  ./tempora train --config "$out/nlinear.json" --out "$out/nlinear" "${options[@]}" --json > "$out/train-nlinear.json"
  # one ensemble of every member of both kinds (an ensemble given to `tempora ensemble` gives its members)
  ./tempora ensemble --out "$out/both" --combine "$combine" "$out/tft" "$out/nlinear" --json > "$out/ensemble.json"
  models=(both tft nlinear)
  if [[ "$trees" == 1 ]]; then
    # the trees fit slower than the networks train: half as many seeds, each counted twice in the mean
    tree_members=$(( (members + 1) / 2 )); tree_options=()
    [[ "$tree_members" -gt 1 ]] && tree_options=(--ensemble "$tree_members" --ensemble-combine "$combine")
    [[ "$refit" == 1 ]] && tree_options+=(--refit)
    python3 "$here/with-model.py" "$here/tft.json" "$here/trees-model.json" "$out/trees.json"
    ./tempora train --config "$out/trees.json" --out "$out/trees" "${tree_options[@]}" --json > "$out/train-trees.json"
    twice=("$out/trees"); [[ "$members" -gt 1 ]] && twice+=("$out/trees")
    ./tempora ensemble --out "$out/three" --combine "$combine" "$out/tft" "$out/nlinear" "${twice[@]}" --json \
      > "$out/ensemble-three.json"
    models=(three both tft nlinear trees)
  fi
fi
for model in "${models[@]}"; do
  ./tempora evaluate --model "$out/$model" --config "$here/tft.json" --json > "$out/$model-test.json"
  ./tempora evaluate --model "$out/$model" --config "$here/tft.json" "${validation[@]}" --json > "$out/$model-validation.json"
done
./tempora evaluate --model baseline --config "$here/tft.json" --json > "$out/baseline-test.json"
./tempora evaluate --model baseline --config "$here/tft.json" "${validation[@]}" --json > "$out/baseline-validation.json"
python3 - "$out" "${models[@]}" <<'PY'
import json, sys
out, models = sys.argv[1], sys.argv[2:]
names = {"three": "TFT + NLinear + trees, one ensemble", "both": "TFT + NLinear, one ensemble", "tft": "Tempora TFT",
         "nlinear": "NLinear", "trees": "GradientBoostedTrees"}
base = json.load(open(f"{out}/baseline-test.json"))
val_base = json.load(open(f"{out}/baseline-validation.json"))["metrics"]
train = json.load(open(f"{out}/train.json"))
refit = train.get("refit_epochs", 0) > 0 or any(m.get("refit_epochs", 0) > 0 for m in train.get("members", []))
print(f"{'':<34}{'val. MAE' + ('*' if refit else ''):>10}{'test MAE':>10}{'test sMAPE':>12}")
print(f"{'last value':<34}{val_base['mae']:>10.1f}{base['metrics']['mae']:>10.1f}"
      f"{base['metrics']['smape']:>12.4f}")
for model in models:
    test = json.load(open(f"{out}/{model}-test.json"))
    val = json.load(open(f"{out}/{model}-validation.json"))["metrics"]
    print(f"{names[model]:<34}{val['mae']:>10.1f}{test['metrics']['mae']:>10.1f}{test['metrics']['smape']:>12.4f}")
print(f"{'PTF TFT, best recorded (its val.)':<34}{'':>10}{254.6:>10.1f}")
each = " of each kind (the first row: the kinds combined)" if len(models) > 1 else ""
if "best_epoch" in train:
    model = f"one model{each}, the TFT's best epoch {train['best_epoch']} of {train['epochs']}"
else:
    model = f"the {train['combine']} of {len(train['members'])} seeds{each}"
    if "trees" in models:
        model += f", {len(json.load(open(f'{out}/train-trees.json'))['members'])} of the trees (each counted twice)"
def refit_epochs(train):
    return [train["refit_epochs"]] if train.get("refit_epochs") else \
        [m["refit_epochs"] for m in train.get("members", [])]
if refit:
    model += f", refit on the training and validation rows for {refit_epochs(train)} epochs"
    if "nlinear" in models:
        model += f" (NLinear: {refit_epochs(json.load(open(f'{out}/train-nlinear.json')))})"
    if "trees" in models:
        model += " (the trees: one fit each)"
    model += " (*: in-sample)"
headline = json.load(open(f"{out}/{models[0]}-test.json"))
print(f"windows {headline['windows']}: each series' last 6 months; validation: the 6 months before; {model}")
print(f"MAE {headline['metrics']['mae']:.1f}")
PY
