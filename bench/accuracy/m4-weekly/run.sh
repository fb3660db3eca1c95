#!/usr/bin/env bash
# M4 Weekly (359 series, horizon 13): trained through `tempora train`, scored by `tempora evaluate --metrics m4`
# on the 13 test weeks of each series (held out by the config), as the competition scored it: sMAPE in percent,
# MASE scaled by each series' whole history (m = 1), OWA against Naive2 (= the last value for weekly data).
set -euo pipefail
shared="$1"; out="$2"; here="bench/accuracy/m4-weekly"
config="${M4_CONFIG:-$here/nhits.json}"
python3 "$here/prepare.py" "$shared"
ensemble=(); [[ -n "${M4_ENSEMBLE:-}" ]] && ensemble=(--ensemble "$M4_ENSEMBLE")   # K seeds, their median
./tempora train --config "$config" --out "$out/model" "${ensemble[@]}" --json > "$out/train.json"
./tempora evaluate --model "$out/model" --config "$config" --metrics m4 --json > "$out/test.json"
python3 - "$out" <<'PY'
import json, sys
r = json.load(open(f"{sys.argv[1]}/test.json"))
m = r["m4"]
print(f"{'':<28}{'sMAPE':>8}{'MASE':>8}{'OWA':>8}")
print(f"{'Naive2 (last value)':<28}{m['naive2_smape']:>8.3f}{m['naive2_mase']:>8.3f}{1:>8.3f}")
print(f"{'Tempora':<28}{m['smape']:>8.3f}{m['mase']:>8.3f}{m['owa']:>8.3f}")
print(f"{'ES-RNN (M4 winner)':<28}{7.817:>8.3f}{2.356:>8.3f}{0.851:>8.3f}")
print(f"{'best weekly entry':<28}{6.582:>8.3f}{2.107:>8.3f}{0.739:>8.3f}")
print(f"windows {r['windows']}, scored on the 13 held-out test weeks of each series")
print(f"OWA {m['owa']:.3f}")
PY
