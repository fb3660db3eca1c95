package dev.tempora.gpu;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times our SGEMM ({@link DeviceBlas#gemm}) on the device: square NN products (the comparison with cuBLAS) and
 * the TFT's own shapes, which are skinny. For each shape: the median TFLOP/s of 7 batches of at least ~50 ms,
 * the plan the shape got, and the largest error of 64 sampled entries against double-precision dot products
 * on the CPU, relative to the sum of |a||b| over the dot product (FP32 accumulation gives ~1e-6; a wrong tile
 * gives ~1).
 */
final class SgemmTiming {
    /** A product op(A)(m x k) · op(B)(k x n), named for the report. */
    record Shape(String name, boolean transA, boolean transB, int m, int n, int k) {
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("nn_1024", false, false, 1024, 1024, 1024),
            new Shape("nn_2048", false, false, 2048, 2048, 2048),
            new Shape("nn_4096", false, false, 4096, 4096, 4096),
            // The TFT's linear layers, batch x time = 29568 rows: forward x·W^T, input gradient dY·W, weight
            // gradient dY^T·X (output at most 80 x 80, K = the rows).
            new Shape("tft_forward_nt_29568x80x80", false, true, 29568, 80, 80),
            new Shape("tft_forward_nt_29568x20x4", false, true, 29568, 20, 4),
            new Shape("tft_forward_nt_8064x80x80", false, true, 8064, 80, 80),
            new Shape("tft_dx_nn_29568x80x80", false, false, 29568, 80, 80),
            new Shape("tft_dw_tn_80x80x29568", true, false, 80, 80, 29568),
            new Shape("tft_dw_tn_80x20x21504", true, false, 80, 20, 21504),
            new Shape("tft_small_nn_128x80x20", false, false, 128, 80, 20),
            new Shape("tft_small_nn_20x20x128", false, false, 20, 20, 128));

    private static final int BATCHES = 7;
    private static final double BATCH_SECONDS = 0.05;
    private static final int SAMPLES = 64;
    /** Sampled error above this (relative to sum |a||b|) means a wrong result, not rounding. */
    private static final double MAX_ERROR = 1e-4;

    private SgemmTiming() {
    }

    static Map<String, Object> run(GpuDevice device) {
        return run(device, SHAPES);
    }

    static Map<String, Object> run(GpuDevice device, List<Shape> shapes) {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean verified = true;
        for (Shape s : shapes) {
            String key = "sgemm_" + s.name();
            DeviceBlas.Plan plan = DeviceBlas.plan(s.m(), s.n(), s.k());
            results.put(key + "_plan", plan.tile().kernel + " x" + plan.splits() + " splits");
            double[] result = time(device, s);
            results.put(key + "_tflops", Math.round(result[0] * 100) / 100.0);
            results.put(key + "_us", Math.round(result[1] * 10) / 10.0);
            results.put(key + "_max_error", result[2]);
            verified &= result[2] <= MAX_ERROR;
        }
        results.put("sgemm_verified", verified);
        return results;
    }

    /** {TFLOP/s (median), microseconds per product (median), largest sampled error}. */
    private static double[] time(GpuDevice device, Shape s) {
        int aRows = s.transA() ? s.k() : s.m();
        int aCols = s.transA() ? s.m() : s.k();
        int bRows = s.transB() ? s.n() : s.k();
        int bCols = s.transB() ? s.k() : s.n();
        SplittableRandom random = new SplittableRandom(s.name().hashCode());
        float[] a = uniform(random, aRows * aCols);
        float[] b = uniform(random, bRows * bCols);
        try (GpuDevice.Scope scope = device.scope()) {
            DeviceTensor da = device.upload(a, aRows, aCols);
            DeviceTensor db = device.upload(b, bRows, bCols);
            DeviceTensor dc = device.empty(s.m(), s.n());
            Runnable product = () -> DeviceBlas.gemm(device, s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f,
                    da.address(), aCols, db.address(), bCols, 0f, dc.address(), s.n());
            for (int i = 0; i < 3; i++) {
                product.run();
            }
            device.synchronize();
            long t0 = System.nanoTime();
            product.run();
            device.synchronize();
            double once = Math.max((System.nanoTime() - t0) / 1e9, 1e-6);
            int reps = (int) Math.min(100_000, Math.max(1, Math.ceil(BATCH_SECONDS / once)));
            double[] seconds = new double[BATCHES];
            for (int batch = 0; batch < BATCHES; batch++) {
                device.synchronize();
                long start = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    product.run();
                }
                device.synchronize();
                seconds[batch] = (System.nanoTime() - start) / 1e9 / reps;
            }
            Arrays.sort(seconds);
            double median = seconds[BATCHES / 2];
            double flops = 2.0 * s.m() * s.n() * s.k();
            return new double[] {flops / median / 1e12, median * 1e6, sampledError(s, a, b, dc.toFloatArray(), random)};
        }
    }

    /** The largest |c - reference| / sum |a||b| over sampled entries, the reference in double. */
    private static double sampledError(Shape s, float[] a, float[] b, float[] c, SplittableRandom random) {
        double worst = 0;
        for (int sample = 0; sample < SAMPLES; sample++) {
            int i = random.nextInt(s.m());
            int j = random.nextInt(s.n());
            double dot = 0;
            double magnitude = 0;
            for (int p = 0; p < s.k(); p++) {
                double x = s.transA() ? a[p * s.m() + i] : a[i * s.k() + p];
                double y = s.transB() ? b[j * s.k() + p] : b[p * s.n() + j];
                dot += x * y;
                magnitude += Math.abs(x * y);
            }
            double error = Math.abs(c[i * s.n() + j] - dot) / Math.max(magnitude, Double.MIN_NORMAL);
            worst = Math.max(worst, Double.isNaN(error) ? Double.POSITIVE_INFINITY : error);
        }
        return worst;
    }

    private static float[] uniform(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
