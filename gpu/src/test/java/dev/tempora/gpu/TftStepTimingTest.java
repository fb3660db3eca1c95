package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device check's TFT step harness at a tiny shape of the seed preset (the real one is too slow for the
 * emulator): its parity check passes and both timed modes run, so the device check will not stop on it.
 */
class TftStepTimingTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void seedPresetAtATinyShapeMatchesTheCpuAndTrains(GpuDevice device) {
        Map<String, Object> r = TftStepTiming.run(device, 3, 4, 3, 2, 2, false);
        assertEquals(true, r.get("parity_passed"), "parity at the seed preset's sizes: " + r);
        assertEquals(true, r.get("train_loss_finite"), r.toString());
        assertEquals(true, r.get("train_graph_loss_finite"), r.toString());
        assertTrue((long) r.get("train_launches_per_step") > 100, r.toString());
        // A replayed step launches Adam only; the rest is the graph.
        assertEquals(1L, r.get("train_graph_launches_per_step"), r.toString());
    }
}
