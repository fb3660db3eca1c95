package dev.tempora.gpu;

import dev.tempora.gpu.driver.DeviceDriver;
import dev.tempora.gpu.driver.KernelArguments;
import dev.tempora.tensor.io.AtomicFiles;
import dev.tempora.tensor.io.Json;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The device check's timings: launch overhead, our SGEMM and the TFT seed-preset step on the GPU. */
final class GpuTimings {
    private GpuTimings() {
    }

    /** {@code flags}: {@code --no-cpu-scaling} leaves out the CPU scaling table (about a minute). */
    static Map<String, Object> run(GpuDevice device, Path out, java.util.Set<String> flags) {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("device", device.description());
        results.put("launch_us", launchOverhead(device, false));
        results.put("graph_launch_us", launchOverhead(device, true));
        System.out.printf("launch overhead: %.2f us one by one, %.2f us replayed from a graph%n",
                results.get("launch_us"), results.get("graph_launch_us"));
        write(out, results);
        results.putAll(SgemmTiming.run(device));
        write(out, results);
        results.put("tft_step", TftStepTiming.run(device));
        write(out, results);
        Map<String, Object> profile = TftStepProfile.run(device, out);
        String text = (String) profile.remove("text");
        System.out.print(text.substring(0, Math.min(text.length(), 6000)));
        results.put("tft_profile", profile);
        write(out, results);
        if (!flags.contains("--no-cpu-scaling")) {
            results.put("cpu_scaling", CpuScalingTiming.run());
            write(out, results);
        }
        return results;
    }

    /** Rewritten after each part, so a later failure keeps what was measured. */
    private static void write(Path out, Map<String, Object> results) {
        AtomicFiles.writeString(out.resolve("timings.json"), Json.writePretty(results) + "\n");
    }

    /** Microseconds per launch of a tiny kernel, issued one by one from Java or replayed from a graph. */
    static double launchOverhead(GpuDevice device, boolean graph) {
        int launches = 2000;
        try (DeviceTensor x = device.zeros(256); DeviceTensor y = device.zeros(256)) {
            KernelArguments args = new KernelArguments().i32(2).f32(0).f32(0).pointer(x.address()).pointer(y.address()).i32(256);
            Runnable body = () -> {
                for (int i = 0; i < launches; i++) {
                    device.launch("unary_forward", 256, args);
                }
            };
            double[] times = new double[7];
            if (graph) {
                try (DeviceDriver.Graph g = device.driver().capture(body)) {
                    for (int r = 0; r < times.length; r++) {
                        device.synchronize();
                        long t0 = System.nanoTime();
                        g.launch();
                        device.synchronize();
                        times[r] = (System.nanoTime() - t0) / 1e3 / launches;
                    }
                }
            } else {
                for (int r = 0; r < times.length; r++) {
                    device.synchronize();
                    long t0 = System.nanoTime();
                    body.run();
                    device.synchronize();
                    times[r] = (System.nanoTime() - t0) / 1e3 / launches;
                }
            }
            Arrays.sort(times);
            return times[times.length / 2];
        }
    }
}
