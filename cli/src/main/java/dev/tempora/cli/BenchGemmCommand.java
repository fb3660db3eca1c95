package dev.tempora.cli;

import dev.tempora.bench.GemmThroughput;
import dev.tempora.bench.GemmThroughput.Result;
import dev.tempora.bench.GemmThroughput.Shape;
import dev.tempora.tensor.Parallel;
import dev.tempora.tensor.kernels.VectorSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code tempora bench gemm}: a quick GEMM throughput run (the careful one is the JMH suite in bench). */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "GEMM throughput (float32, C = A·B) in GFLOP/s for each size and thread count.",
        footer = {"", "Examples:",
                "  ./tempora bench gemm",
                "  ./tempora bench gemm --size 1024 --threads 1 --threads 2 --json",
                "  ./tempora bench gemm --shape 29568x80x20 --shape 20x80x29568_tA"})
final class BenchGemmCommand implements Runnable {

    private static final int[] DEFAULT_SIZES = {256, 512, 1024, 2048};

    @Option(names = "--size", paramLabel = "N",
            description = "A square n×n·n×n product; repeatable (default: 256 512 1024 2048).")
    List<Integer> sizes = new ArrayList<>();

    @Option(names = "--shape", paramLabel = "MxNxK",
            description = "A product with C m×n and k shared, _tA/_tB for a transposed operand; repeatable.")
    List<String> shapes = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads; repeatable (default: 1 and the shared pool's size).")
    List<Integer> threads = new ArrayList<>();

    @Option(names = "--json",
            description = "Print one JSON object: {\"results\":[{\"m\":..,\"n\":..,\"k\":..,\"threads\":..,\"gflops\":..}]}.")
    boolean json;

    @Override
    public void run() {
        List<Shape> products = new ArrayList<>();
        for (int size : sizes) {
            if (size < 1) {
                throw new IllegalArgumentException("--size must be at least 1, got " + size);
            }
            products.add(Shape.square(size));
        }
        for (String shape : shapes) {
            products.add(Shape.parse(shape));
        }
        if (products.isEmpty()) {
            for (int size : DEFAULT_SIZES) {
                products.add(Shape.square(size));
            }
        }
        Set<Integer> threadCounts = new LinkedHashSet<>(threads);
        if (threadCounts.isEmpty()) {
            threadCounts.add(1);
            threadCounts.add(Parallel.threads());
        }
        for (int t : threadCounts) {
            if (t < 1 || t > Parallel.threads()) {
                throw new IllegalArgumentException("--threads " + t + " is outside 1.." + Parallel.threads()
                        + " (the shared pool's size; change it with TEMPORA_JAVA_OPTS=-Dtempora.threads=N)");
            }
        }

        if (!json) {
            System.out.println("GEMM throughput, float32, " + VectorSupport.describe());
            System.out.printf("%-22s %7s %9s%n", "m x n x k", "threads", "GFLOP/s");
        }
        List<Result> results = new ArrayList<>();
        for (Shape shape : products) {
            for (int t : threadCounts) {
                Result result = GemmThroughput.measure(shape, t, 700, 5, 200);
                results.add(result);
                if (!json) {
                    System.out.printf(Locale.ROOT, "%-22s %7d %9.1f%n", shape, t, result.gflops());
                }
            }
        }
        if (json) {
            StringBuilder out = new StringBuilder("{\"results\":[");
            for (int i = 0; i < results.size(); i++) {
                Result r = results.get(i);
                Shape s = r.shape();
                out.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"m\":%d,\"n\":%d,\"k\":%d,%s\"threads\":%d,\"gflops\":%.1f}", s.m(), s.n(), s.k(),
                        (s.transA() ? "\"transA\":true," : "") + (s.transB() ? "\"transB\":true," : ""),
                        r.threads(), r.gflops()));
            }
            System.out.println(out.append("]}"));
        }
    }
}
