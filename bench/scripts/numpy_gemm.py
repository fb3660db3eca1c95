#!/usr/bin/env python3
"""OpenBLAS sgemm throughput through numpy, timed the way the Tempora benchmarks are.

Usage: numpy_gemm.py THREADS SHAPE...   (SHAPE is MxNxK, optionally _tA/_tB; C is m x n)
       numpy_gemm.py --info               (which BLAS numpy loaded, as JSON; exit 1 if not OpenBLAS)
Prints one JSON object per line: {"shape", "threads", "gflops", "windows"}. Set
OPENBLAS_NUM_THREADS=THREADS in the environment before starting Python (OpenBLAS reads it once).
"""
import ctypes
import json
import re
import sys
import time

import numpy as np

WARMUP_SECONDS = 1.0
WINDOWS = 5
WINDOW_SECONDS = 1.0


def operands(shape, rng):
    m, n, k, trans_a, trans_b = shape

    def stored(rows, cols):
        return (rng.random((rows, cols), dtype=np.float32) - np.float32(0.5))

    # A stored k x m and read through .T is what a transposed operand is: numpy hands OpenBLAS the
    # transpose flag, as Tempora's GEMM gets transA.
    a = stored(k, m).T if trans_a else stored(m, k)
    b = stored(n, k).T if trans_b else stored(k, n)
    return a, b, np.empty((m, n), dtype=np.float32)


def parse(text):
    match = re.fullmatch(r"(\d+)x(\d+)x(\d+)((?:_tA)?)((?:_tB)?)", text)
    if not match:
        sys.exit(f"numpy_gemm.py: shape '{text}' is not MxNxK[_tA][_tB]")
    m, n, k = (int(match.group(i)) for i in (1, 2, 3))
    return m, n, k, bool(match.group(4)), bool(match.group(5))


def measure(shape):
    a, b, c = operands(shape, np.random.default_rng(42))
    flops = 2.0 * shape[0] * shape[1] * shape[2]
    end = time.perf_counter() + WARMUP_SECONDS
    while time.perf_counter() < end:
        np.matmul(a, b, out=c)
    rates = []
    for _ in range(WINDOWS):
        products = 0
        start = time.perf_counter()
        while True:
            np.matmul(a, b, out=c)
            products += 1
            elapsed = time.perf_counter() - start
            if elapsed >= WINDOW_SECONDS:
                break
        rates.append(flops * products / elapsed / 1e9)
    return sorted(rates)


def blas_info():
    """The BLAS library numpy runs on, read from this process's memory map."""
    np.dot(np.ones((2, 2), np.float32), np.ones((2, 2), np.float32))  # make sure BLAS is loaded
    with open("/proc/self/maps") as maps:
        libraries = sorted({line.split()[-1] for line in maps if "blas" in line and "/" in line})
    info = {"numpy": np.__version__, "libraries": libraries}
    for path in libraries:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            info["openblas"] = lib.openblas_get_config().decode()
            info["corename"] = lib.openblas_get_corename().decode()
            break
        except (OSError, AttributeError):
            continue
    return info


def hold_jmh_lock():
    """Takes JMH's lock file, as a JMH run does, so another JMH run on this machine waits while
    OpenBLAS is timed instead of competing with it (and we with it)."""
    import fcntl
    import tempfile
    lock = open(f"{tempfile.gettempdir()}/jmh.lock", "a")
    fcntl.lockf(lock, fcntl.LOCK_EX)  # waits while a JMH run holds it
    return lock


def main():
    if sys.argv[1:] == ["--info"]:
        info = blas_info()
        print(json.dumps(info))
        sys.exit(0 if "openblas" in info else 1)
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    threads = int(sys.argv[1])
    lock = hold_jmh_lock()
    for text in sys.argv[2:]:
        rates = measure(parse(text))
        print(json.dumps({"shape": text, "threads": threads, "gflops": rates[len(rates) // 2],
                          "windows": rates}), flush=True)
    lock.close()


if __name__ == "__main__":
    main()
