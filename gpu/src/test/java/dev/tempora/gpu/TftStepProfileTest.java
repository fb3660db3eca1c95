package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The device check's profile at a tiny shape: every launch of a step is timed and accounted for. */
class TftStepProfileTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void profilesEveryLaunchOfAStep(GpuDevice device, @TempDir Path out) throws Exception {
        long before = device.launchCount();
        Map<String, Object> r = TftStepProfile.run(device, out, 2, 3, 2);
        int launches = (int) r.get("launches");
        assertTrue(launches > 100, "a TFT step launches hundreds of kernels, got " + launches);
        assertTrue((double) r.get("kernel_us_total") > 0);
        String text = Files.readString(out.resolve("profile.txt"));
        assertTrue(text.contains("sgemm_64x32_nt"), text.substring(0, 400));
        assertTrue(device.launchCount() - before >= launches, "the profiled step's launches are counted");
        device.driver().setProfiling(false);
        assertEquals(java.util.List.of(), device.driver().takeProfile(), "profiling is off again");
    }
}
