package dev.tempora.gpu;

import dev.tempora.bench.TftStepThroughput;
import dev.tempora.bench.TftStepThroughput.Preset;
import dev.tempora.gpu.driver.DeviceDriver.ProfiledLaunch;
import dev.tempora.gpu.tft.DeviceTemporalFusionTransformer;
import dev.tempora.gpu.tft.DeviceTftBatch;
import dev.tempora.models.DropoutSeeds;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.tensor.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the seed-preset training step's device time goes: one eager step with every kernel timed alone
 * (CudaDriver's profiler), summed by kernel and by kernel and launch shape. Written to {@code profile.txt};
 * the totals go into the device check's results.
 */
final class TftStepProfile {
    private TftStepProfile() {
    }

    static Map<String, Object> run(GpuDevice device, Path out) {
        return run(device, out, TftStepThroughput.BATCH, TftStepThroughput.ENCODER_STEPS, TftStepThroughput.DECODER_STEPS);
    }

    static Map<String, Object> run(GpuDevice device, Path out, int batchSize, int encoder, int decoder) {
        TftConfig config = TftStepThroughput.config(Preset.SEED);
        TrainingBatch batch = TftStepThroughput.randomBatch(config, batchSize, encoder, decoder, 7);
        List<ProfiledLaunch> launches;
        try (DeviceTemporalFusionTransformer gpu = new DeviceTemporalFusionTransformer(device,
                new TemporalFusionTransformer(config), 1e-3, 0.1f, false);
             DeviceTftBatch deviceBatch = gpu.upload(batch.inputs(), batch.target())) {
            for (int i = 0; i < 3; i++) {
                gpu.trainStep(deviceBatch, DropoutSeeds.mix(i));
            }
            device.synchronize();
            device.driver().setProfiling(true);
            try {
                gpu.trainStep(deviceBatch, DropoutSeeds.mix(99));
                device.synchronize();
                launches = device.driver().takeProfile();
            } finally {
                device.driver().setProfiling(false);
            }
        }
        Map<String, double[]> byKernel = new TreeMap<>();
        Map<String, double[]> byShape = new TreeMap<>();
        double total = 0;
        for (ProfiledLaunch l : launches) {
            add(byKernel, l.kernel(), l.microseconds());
            add(byShape, l.kernel() + " grid " + Arrays.toString(l.grid()) + " block " + Arrays.toString(l.block()),
                    l.microseconds());
            total += l.microseconds();
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "TFT seed step (%d x (%d + %d)) on %s, one eager step, every kernel timed alone: %d launches, %.1f us%n%n",
                batchSize, encoder, decoder, device.description(), launches.size(), total));
        table(text, "by kernel", byKernel, total, 60);
        table(text, "by kernel and launch shape", byShape, total, 60);
        AtomicFiles.writeString(out.resolve("profile.txt"), text.toString());
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("launches", launches.size());
        results.put("kernel_us_total", total);
        List<String> top = new ArrayList<>();
        byKernel.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1])).limit(12)
                .forEach(e -> top.add(String.format(Locale.ROOT, "%s: %d launches, %.1f us", e.getKey(), (int) e.getValue()[0],
                        e.getValue()[1])));
        results.put("top_kernels", top);
        results.put("text", text.toString());
        return results;
    }

    private static void add(Map<String, double[]> map, String key, double us) {
        double[] v = map.computeIfAbsent(key, k -> new double[3]);
        v[0]++;
        v[1] += us;
        v[2] = Math.max(v[2], us);
    }

    private static void table(StringBuilder text, String title, Map<String, double[]> rows, double total, int limit) {
        text.append(title).append(":\n");
        rows.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1])).limit(limit)
                .forEach(e -> text.append(String.format(Locale.ROOT, "%9.1f us %5.1f%% %5d x (max %7.1f us)  %s%n",
                        e.getValue()[1], 100 * e.getValue()[1] / total, (int) e.getValue()[0], e.getValue()[2], e.getKey())));
        text.append('\n');
    }
}
