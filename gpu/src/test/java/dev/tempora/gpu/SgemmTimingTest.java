package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The timing harness itself, on small shapes: it must time the product it verifies, for every transpose. */
class SgemmTimingTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void verifiesWhatItTimes(GpuDevice device) {
        List<SgemmTiming.Shape> shapes = List.of(new SgemmTiming.Shape("nt", false, true, 70, 36, 20),
                new SgemmTiming.Shape("tn_split", true, false, 40, 24, 600),
                new SgemmTiming.Shape("tt", true, true, 9, 13, 11));
        Map<String, Object> results = SgemmTiming.run(device, shapes);
        for (SgemmTiming.Shape s : shapes) {
            double error = (Double) results.get("sgemm_" + s.name() + "_max_error");
            assertTrue(error <= 1e-6, s + ": sampled error " + error);
        }
        assertEquals(true, results.get("sgemm_verified"));
    }
}
