package dev.tempora.bench;

import dev.tempora.tensor.Parallel;
import dev.tempora.tensor.kernels.Gemm;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A quick GEMM throughput measurement (what {@code tempora bench gemm} prints): warm up, then time
 * repeated products in short windows and report the median window, in GFLOP/s counting
 * 2·m·n·k floating-point operations per product. The JMH suite ({@link GemmBenchmark}) is the
 * careful measurement; this one answers "how fast is this machine" in a few seconds.
 */
public final class GemmThroughput {

    private GemmThroughput() {}

    /** A GEMM shape: C is m×n, the shared dimension k; A and/or B may be stored transposed. */
    public record Shape(int m, int n, int k, boolean transA, boolean transB) {

        private static final Pattern SYNTAX = Pattern.compile("(\\d+)x(\\d+)x(\\d+)((?:_tA)?)((?:_tB)?)");

        /** Checks that m, n and k are at least 1. */
        public Shape {
            if (m < 1 || n < 1 || k < 1) {
                throw new IllegalArgumentException("GEMM shape needs m, n, k >= 1, got " + m + "x" + n + "x" + k);
            }
        }

        /** A square n×n product. */
        public static Shape square(int n) {
            return new Shape(n, n, n, false, false);
        }

        /** Parses {@code MxNxK}, optionally followed by {@code _tA} and/or {@code _tB}, e.g. {@code 20x80x29568_tA}. */
        public static Shape parse(String text) {
            Matcher matcher = SYNTAX.matcher(text.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("GEMM shape '" + text + "' is not MxNxK (e.g. 1024x1024x1024, "
                        + "29568x80x20, 20x80x29568_tA)");
            }
            try {
                return new Shape(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                        Integer.parseInt(matcher.group(3)), !matcher.group(4).isEmpty(), !matcher.group(5).isEmpty());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GEMM shape '" + text + "' has a size beyond 2^31", e);
            }
        }

        /** Floating-point operations of one product. */
        public double flops() {
            return 2.0 * m * n * k;
        }

        @Override
        public String toString() {
            return m + "x" + n + "x" + k + (transA ? "_tA" : "") + (transB ? "_tB" : "");
        }
    }

    /** One measurement. */
    public record Result(Shape shape, int threads, double gflops) {}

    /** Runs products for about {@code millis} and returns GFLOP/s. */
    private static double window(Operands operands, int threads, long millis) {
        long start = System.nanoTime();
        long elapsed;
        int products = 0;
        do {
            operands.multiply(threads);
            products++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < millis * 1_000_000);
        return operands.shape.flops() * products / elapsed; // flops per ns = GFLOP/s
    }

    /** Random operands and an output for one shape, laid out as the shape says. */
    public static final class Operands {
        final Shape shape;
        final float[] a;
        final float[] b;
        final float[] c;

        /** Random A and B of {@code shape}, reproducible for {@code seed}, and a zeroed C. */
        public Operands(Shape shape, long seed) {
            this.shape = shape;
            SplittableRandom rnd = new SplittableRandom(seed);
            a = random(rnd, (long) shape.m * shape.k);
            b = random(rnd, (long) shape.k * shape.n);
            c = new float[Math.toIntExact((long) shape.m * shape.n)];
        }

        /** One product C = op(A)·op(B) on at most {@code threads} threads (1: the calling thread). */
        public void multiply(int threads) {
            int lda = shape.transA ? shape.m : shape.k;
            int ldb = shape.transB ? shape.k : shape.n;
            if (threads == 1) {
                Gemm.sgemmSerial(shape.transA, shape.transB, shape.m, shape.n, shape.k, 1f, a, 0, lda, b, 0, ldb,
                        0f, c, 0, shape.n);
            } else {
                Gemm.sgemm(threads, shape.transA, shape.transB, shape.m, shape.n, shape.k, 1f, a, 0, lda, b, 0, ldb,
                        0f, c, 0, shape.n);
            }
        }

        /** An element of the last result, so callers can keep the work observable. */
        public float probe() {
            return c[c.length / 2];
        }

        private static float[] random(SplittableRandom rnd, long size) {
            float[] x = new float[Math.toIntExact(size)];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextDouble() - 0.5);
            }
            return x;
        }
    }

    /**
     * Measures one shape on {@code threads} threads: warms up for at least {@code warmupMillis} and
     * until two windows in a row agree within 10% (the JIT compiles the vector kernels only after
     * many slow calls, up to 20 s), then times {@code windows} windows of about {@code windowMillis}
     * each and returns the median window.
     */
    public static Result measure(Shape shape, int threads, long warmupMillis, int windows, long windowMillis) {
        if (threads < 1 || threads > Parallel.threads()) {
            throw new IllegalArgumentException("threads = " + threads + " is outside 1.." + Parallel.threads()
                    + ", the size of the shared pool (set it with -Dtempora.threads=N)");
        }
        Operands operands = new Operands(shape, 42);
        long warmupStart = System.nanoTime();
        double previous = 0;
        while (true) {
            double rate = window(operands, threads, windowMillis);
            long elapsedMillis = (System.nanoTime() - warmupStart) / 1_000_000;
            boolean steady = Math.abs(rate - previous) <= 0.1 * rate;
            if ((elapsedMillis >= warmupMillis && steady) || elapsedMillis > 20_000) {
                break;
            }
            previous = rate;
        }
        double[] rates = new double[windows];
        for (int w = 0; w < windows; w++) {
            rates[w] = window(operands, threads, windowMillis);
        }
        if (Float.isNaN(operands.probe())) {
            throw new IllegalStateException("GEMM produced NaN from finite operands for " + shape);
        }
        Arrays.sort(rates);
        return new Result(shape, threads, rates[windows / 2]);
    }
}
