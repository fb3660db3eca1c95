package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DeviceBlasTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /** Every transpose combination on shapes with tails in every dimension, against the CPU's matmul. */
    @ParameterizedTest
    @MethodSource("devices")
    void matchesTheCpuProductForEveryTransposeAndOddShapes(GpuDevice device) {
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {130, 20, 80}, {64, 128, 16}};
        long seed = 1;
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                Tensor a = Tensor.randn(seed++, ta ? k : m, ta ? m : k);
                Tensor b = Tensor.randn(seed++, tb ? n : k, tb ? k : n);
                Tensor expected = (ta ? a.transpose(0, 1) : a).matmul(tb ? b.transpose(0, 1) : b);
                try (DeviceTensor da = device.upload(a); DeviceTensor db = device.upload(b);
                     DeviceTensor dc = device.empty(m, n)) {
                    DeviceBlas.matmul(da, ta, db, tb, dc);
                    float[] got = dc.toFloatArray();
                    float[] want = expected.toFloatArray();
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(want[i], got[i], 1e-4f * (1 + Math.abs(want[i])) * Math.sqrt(k),
                                "m " + m + " n " + n + " k " + k + " transA " + ta + " transB " + tb + " at " + i);
                    }
                }
            }
        }
    }
}
