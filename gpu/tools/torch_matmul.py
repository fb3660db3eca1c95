"""cuBLAS's SGEMM through torch.matmul, timed as gpu/device-check.sh times ours: float32 (TF32 off, as
PyTorch's default for matmul), CUDA events around a batch of calls after a warm-up, median of several
batches. Prints one JSON line per size: {"n": 4096, "tflops": ...}."""
import json
import sys

import torch


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1024, 2048, 4096]
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    for n in sizes:
        a = torch.randn(n, n, device="cuda")
        b = torch.randn(n, n, device="cuda")
        c = torch.empty(n, n, device="cuda")
        for _ in range(3):
            torch.matmul(a, b, out=c)
        torch.cuda.synchronize()
        reps = max(3, int(2e11 / (2 * n ** 3)))
        times = []
        for _ in range(7):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(reps):
                torch.matmul(a, b, out=c)
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end) / 1e3 / reps)
        times.sort()
        median = times[len(times) // 2]
        print(json.dumps({"n": n, "median_ms": median * 1e3, "tflops": 2 * n ** 3 / median / 1e12,
                          "device": torch.cuda.get_device_name(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
