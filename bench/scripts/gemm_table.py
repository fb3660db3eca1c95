#!/usr/bin/env python3
"""Joins Tempora's JMH GEMM results and numpy/OpenBLAS results into one Markdown table.

Usage: gemm_table.py JMH_JSON NUMPY_JSONL BLAS_INFO_JSON
"""
import json
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


def main():
    jmh_path, numpy_path, info_path = sys.argv[1:4]
    jmh = json.load(open(jmh_path))
    blas = json.load(open(info_path))
    openblas = {}
    for line in open(numpy_path):
        if line.strip():
            row = json.loads(line)
            openblas[(row["shape"], int(row["threads"]))] = row["gflops"]
    flags = set()
    rows = []
    for result in jmh:
        shape = result["params"]["shape"]
        threads = int(result["params"]["threads"])
        ops_per_second = result["primaryMetric"]["score"]
        error = result["primaryMetric"].get("scoreError")
        ours = ops_per_second * shape_flops(shape) / 1e9
        spread = error * shape_flops(shape) / 1e9 if isinstance(error, (int, float)) and error == error else None
        theirs = openblas.get((shape, threads))
        rows.append((shape, threads, ours, spread, theirs))
        flags.add(result.get("jdkVersion", "?") + " " + result.get("vmName", ""))
    print(f"Machine: {cpu_model()}, {len(open('/proc/cpuinfo').read().split('processor')) - 1} cores"
          + (f" ({caches()})" if caches() else ""))
    print(f"JDK: {', '.join(sorted(flags))}")
    print(f"OpenBLAS: {blas.get('openblas', 'not found')} (core {blas.get('corename', '?')}), numpy {blas['numpy']}")
    print()
    print("| Shape (m×n×k) | Threads | Tempora GFLOP/s | OpenBLAS GFLOP/s | Ratio |")
    print("|---|---:|---:|---:|---:|")
    for shape, threads, ours, spread, theirs in rows:
        ours_text = f"{ours:.1f}" + (f" ± {spread:.1f}" if spread is not None else "")
        theirs_text = f"{theirs:.1f}" if theirs else "–"
        ratio = f"{ours / theirs:.2f}" if theirs else "–"
        print(f"| {pretty(shape)} | {threads} | {ours_text} | {theirs_text} | {ratio} |")


if __name__ == "__main__":
    main()
