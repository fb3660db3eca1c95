#!/usr/bin/env python3
"""Joins Tempora's JMH GEMM results and numpy/OpenBLAS results into one Markdown table.

Usage: gemm_table.py JMH_JSON NUMPY_JSONL BLAS_INFO_JSON
"""
import json
import os
import platform
import re
import subprocess
import sys


def shape_flops(shape):
    m, n, k = (int(x) for x in re.match(r"(\d+)x(\d+)x(\d+)", shape).groups())
    return 2.0 * m * n * k


def pretty(shape):
    match = re.fullmatch(r"(\d+)x(\d+)x(\d+)((?:_tA)?)((?:_tB)?)", shape)
    m, n, k, ta, tb = match.groups()
    ops = ("Aᵀ" if ta else "A") + "·" + ("Bᵀ" if tb else "B")
    return f"{m}×{n}×{k}" + ("" if ops == "A·B" else f" ({ops})")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def caches():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""
    found = dict(re.findall(r"^(L1d|L2|L3) cache:\s+(.+)$", out, re.M))
    return ", ".join(f"{name} {size}" for name, size in found.items())


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main():
    jmh_path, numpy_path, info_path = sys.argv[1:4]
    jmh = json.load(open(jmh_path))
    blas = json.load(open(info_path))
    # Every measurement window of every run, in GFLOP/s: JMH iterations (products per second
    # times flops) and numpy's timing windows. The table gives their medians and ranges.
    ours = {}
    jdks = set()
    for result in jmh:
        key = (result["params"]["shape"], int(result["params"]["threads"]))
        flops = shape_flops(key[0])
        for fork in result["primaryMetric"]["rawData"]:
            ours.setdefault(key, []).extend(score * flops / 1e9 for score in fork)
        jdks.add(result.get("jdkVersion", "?") + " " + result.get("vmName", ""))
    theirs = {}
    for line in open(numpy_path):
        if line.strip():
            row = json.loads(line)
            theirs.setdefault((row["shape"], int(row["threads"])), []).extend(row["windows"])
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores" + (f" ({caches()})" if caches() else ""))
    print(f"JDK: {', '.join(sorted(jdks))}")
    print(f"OpenBLAS: {blas.get('openblas', 'not found')} (core {blas.get('corename', '?')}), numpy {blas['numpy']}")
    windows = max(len(v) for v in ours.values())
    print(f"Medians over {windows} one-second windows per figure (range in brackets).")
    print()
    print("| Shape (m×n×k) | Threads | Tempora GFLOP/s | OpenBLAS GFLOP/s | Ratio |")
    print("|---|---:|---:|---:|---:|")
    for key, values in ours.items():
        shape, threads = key
        mine = median(values)
        mine_text = f"{mine:.1f} [{min(values):.0f}–{max(values):.0f}]"
        other = theirs.get(key)
        if other:
            reference = median(other)
            other_text = f"{reference:.1f} [{min(other):.0f}–{max(other):.0f}]"
            ratio = f"{mine / reference:.2f}"
        else:
            other_text, ratio = "–", "–"
        print(f"| {pretty(shape)} | {threads} | {mine_text} | {other_text} | {ratio} |")


if __name__ == "__main__":
    main()
