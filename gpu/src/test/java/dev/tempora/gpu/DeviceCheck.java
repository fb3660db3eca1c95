package dev.tempora.gpu;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The GPU machine's one-call check (gpu/device-check.sh runs it there, with no Maven): this module's parity
 * tests on the CUDA device, then the timings (GpuTimings). Arguments: the output folder, the folder of
 * this module's test classes, then flags: {@code --tests-only}, {@code --no-cpu-scaling}. Exits non-zero when there is no CUDA device,
 * when any test fails or is skipped, or when a timing cannot run.
 */
public final class DeviceCheck {
    private DeviceCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        GpuDevice.Availability cuda = GpuDevice.probe();
        if (!cuda.available()) {
            System.out.println("device check: no CUDA device: " + cuda.reason());
            System.exit(2);
        }
        System.out.println("device check: " + cuda.device().description());

        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(java.util.Set.of(Path.of(args[1])))).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long start = System.nanoTime();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        try (PrintWriter w = new PrintWriter(System.out)) {
            summary.printTo(w);
            summary.printFailuresTo(w, 30);
            w.flush();
            System.out.printf("device check: parity tests took %.1f s%n", (System.nanoTime() - start) / 1e9);
            boolean passed = summary.getTotalFailureCount() == 0 && summary.getTestsSkippedCount() == 0
                    && summary.getTestsAbortedCount() == 0 && summary.getTestsSucceededCount() > 0;
            Map<String, Object> timings = new LinkedHashMap<>();
            java.util.Set<String> flags = java.util.Set.of(args);
            if (!flags.contains("--tests-only")) {
                timings = GpuTimings.run(cuda.device(), out, flags);
            }
            System.out.println("device check: " + (passed ? "PASSED" : "FAILED") + " " + timings);
            System.exit(passed ? 0 : 1);
        }
    }
}
