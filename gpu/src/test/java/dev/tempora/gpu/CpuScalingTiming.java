package dev.tempora.gpu;

import dev.tempora.bench.TftStepThroughput;
import dev.tempora.bench.TftStepThroughput.Preset;
import dev.tempora.tensor.Parallel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU yardstick on the GPU machine's own cores: the TFT seed-preset step of the data-parallel engine at
 * 1, 2, 4, 8 and 16 workers (as many as the pool has), so the training issue's scaling table gets its
 * many-core column and the GPU step its CPU figure from the same machine and run.
 */
final class CpuScalingTiming {
    private CpuScalingTiming() {
    }

    static Map<String, Object> run() {
        List<Map<String, Object>> rows = new ArrayList<>();
        double base = 0;
        for (int workers = 1; workers <= Parallel.threads(); workers *= 2) {
            int shards = Math.max(8, workers);
            TftStepThroughput.Result r = TftStepThroughput.measure(Preset.SEED, workers, shards, workers == 1 ? 20 : 10, 15);
            double samples = r.trainSamplesPerSecond();
            if (workers == 1) {
                base = samples;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("workers", workers);
            row.put("shards", shards);
            row.put("train_ms", r.train().medianMs());
            row.put("train_samples_per_s", samples);
            row.put("speedup", samples / base);
            row.put("efficiency", samples / base / workers);
            row.put("infer_ms", r.infer().medianMs());
            row.put("infer_samples_per_s", r.inferSamplesPerSecond());
            rows.add(row);
            System.out.printf("cpu scaling: %2d workers over %2d shards: train %.1f ms/step (%.0f samples/s, %.2fx, %.0f%%), infer %.1f ms%n",
                    workers, shards, r.train().medianMs(), samples, samples / base, 100 * samples / base / workers,
                    r.infer().medianMs());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("rows", rows);
        return result;
    }
}
