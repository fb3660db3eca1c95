#!/usr/bin/env bash
# Tempora's TFT step (`tempora bench tft-step`) beside the PyTorch peer's
# (shared/tools/torch_peer/bench_step.py), in one run, as a Markdown table of samples/s and ratios.
#
#   bench/scripts/tft-vs-torch.sh                  preset seed, 1 and 2 threads
#   THREADS=2 ROUNDS=3 bench/scripts/tft-vs-torch.sh   2 threads only, three alternating rounds
#
# Both sides time the same step on the same data layout: forward, quantile loss, backward, gradient
# clipping (0.1) and Adam, on a batch of 128 series, encoder 63, decoder 168; and eval-mode
# inference. Tempora and PyTorch alternate thread count by thread count (and round by round), so
# both see the same machine load; each row also shows how much CPU other processes took. The peer
# is found in $TEMPORA_SHARED (default: ../shared next to the repository); Debian's python3-torch
# is installed with apt-get when missing. Results land in bench/target/tft/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${TEMPORA_SHARED:-$root/../shared}"
peer="$shared/tools/torch_peer/bench_step.py"
out="$root/bench/target/tft"
threads="${THREADS:-1,2}"
rounds="${ROUNDS:-1}"
preset="${PRESET:-seed}"
mkdir -p "$out"

[ -f "$peer" ] || { echo "no PyTorch peer at $peer (set TEMPORA_SHARED to the folder holding tools/torch_peer)" >&2; exit 2; }
python=/usr/bin/python3   # Debian's Python, the one python3-torch installs into
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch (apt-get)..." >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get install -y -q python3-torch >/dev/null \
    || { $sudo_cmd apt-get update -q >/dev/null && $sudo_cmd apt-get install -y -q python3-torch >/dev/null; }
fi

rm -f "$out"/tempora-*.json "$out"/torch-*.json
for round in $(seq 1 "$rounds"); do
  for t in ${threads//,/ }; do
    echo "round $round, $t thread(s): Tempora..." >&2
    TEMPORA_JAVA_OPTS="${TEMPORA_JAVA_OPTS:-} -Dtempora.threads=$t" \
      "$root/tempora" bench tft-step --preset "$preset" --threads "$t" --json | tail -n 1 >"$out/tempora-$t-$round.json"
    echo "round $round, $t thread(s): PyTorch..." >&2
    "$python" "$peer" --config "$preset" --threads "$t" --json "$out/torch-$t-$round.json" >>"$out/torch.log" 2>&1
  done
done

"$python" - "$out" "$threads" "$rounds" <<'PY'
import json, statistics, sys
out, threads, rounds = sys.argv[1], [int(t) for t in sys.argv[2].split(",")], int(sys.argv[3])
def med(xs):
    return statistics.median(xs)
print("| threads | Tempora train/s | PyTorch train/s | ratio | Tempora infer/s | PyTorch infer/s | ratio | other procs (T / P) |")
print("|---|---|---|---|---|---|---|---|")
for t in threads:
    tt, ti, pt, pi, tf, pf = [], [], [], [], [], []
    for r in range(1, rounds + 1):
        ours = json.load(open(f"{out}/tempora-{t}-{r}.json"))
        theirs = [x for x in json.load(open(f"{out}/torch-{t}-{r}.json"))["results"] if x["threads"] == t][0]
        tt.append(ours["train_samples_per_s"]); ti.append(ours["infer_samples_per_s"])
        tf.append(ours.get("other_processes_cpu_pct", float("nan")))
        pt.append(theirs["train"]["samples_per_s"]); pi.append(theirs["infer"]["samples_per_s"])
        pf.append(theirs["train"]["monitor"]["foreign_cpu_pct"])
    print(f"| {t} | {med(tt):.0f} | {med(pt):.0f} | {med(tt)/med(pt):.1f}x | {med(ti):.0f} | {med(pi):.0f} | "
          f"{med(ti)/med(pi):.1f}x | {max(tf):.0f}% / {max(pf):.0f}% |")
print(f"\n(medians over {rounds} round(s); each figure is itself the median of 30 timed steps; raw JSON in {out})")
PY
