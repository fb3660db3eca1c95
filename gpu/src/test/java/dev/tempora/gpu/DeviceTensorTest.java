package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tempora.gpu.driver.KernelArguments;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DeviceTensorTest {

    static java.util.stream.Stream<GpuDevice> devices() {
        return Devices.each();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void uploadsDownloadsAndReusesPooledMemory(GpuDevice device) {
        Tensor x = Tensor.randn(1, 3, 37);
        long address;
        try (DeviceTensor d = device.upload(x)) {
            assertArrayEquals(x.toFloatArray(), d.toFloatArray());
            assertArrayEquals(new int[] {3, 37}, d.toTensor().shape());
            address = d.address();
        }
        try (DeviceTensor again = device.zeros(3, 37)) {
            assertEquals(address, again.address(), "a freed block of the same size is reused");
            assertArrayEquals(new float[3 * 37], again.toFloatArray());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void scopeReturnsWhatItMadeExceptKeptTensors(GpuDevice device) {
        DeviceTensor kept;
        DeviceTensor dropped;
        try (GpuDevice.Scope scope = device.scope()) {
            kept = scope.keep(device.zeros(5));
            dropped = device.zeros(5);
        }
        assertEquals(0f, kept.toFloatArray()[4]);
        assertThrows(IllegalStateException.class, dropped::toFloatArray);
        kept.close();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aTensorKeptInAnInnerScopeBelongsToTheEnclosingOne(GpuDevice device) {
        DeviceTensor kept;
        try (GpuDevice.Scope outer = device.scope()) {
            try (GpuDevice.Scope inner = device.scope()) {
                kept = inner.keep(device.zeros(3));
            }
            assertEquals(0f, kept.toFloatArray()[2], "alive after the inner scope closed");
        }
        assertThrows(IllegalStateException.class, kept::toFloatArray, "returned when the enclosing scope closed");
    }

    @ParameterizedTest
    @MethodSource("devices")
    void launchesAKernelByName(GpuDevice device) {
        Tensor x = Tensor.randn(2, 1000); // not a multiple of the block: the bounds check matters
        try (DeviceTensor in = device.upload(x); DeviceTensor out = device.empty(1000)) {
            device.launch("unary_forward", 1000, new KernelArguments().i32(2).f32(0).f32(0)
                    .pointer(in.address()).pointer(out.address()).i32(1000));
            float[] y = out.toFloatArray();
            float[] expected = x.tanh().toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertEquals(expected[i], y[i], 2e-7f, "tanh at " + i);
            }
        }
        RuntimeException missing = assertThrows(RuntimeException.class,
                () -> device.launch("no_such_kernel", 1, new KernelArguments()));
        org.junit.jupiter.api.Assertions.assertTrue(missing.getMessage().contains("no_such_kernel"), missing.getMessage());
    }
}
