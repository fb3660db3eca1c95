package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.autograd.InterpretableAttention;
import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The device attention against the CPU op {@link InterpretableAttention}, forward and gradients. */
class DeviceAttentionTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /**
     * Small heads (per-lane sums over keys); heads of 11 (lanes over the head) with more keys than a warp and a
     * key tile; the preset's 8 heads of 2 with several query tiles and query chunks; the largest heads (16 of
     * 64, one query and three keys a block); short encoders, an empty encoder (so causal step 0 sees no key),
     * an empty decoder (no key at all without causality); causal or not; dropout when training, off when not.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void forwardAndGradientsMatchTheCpuOp(GpuDevice device) {
        Shape[] shapes = {
            new Shape(4, 6, 5, 3, 2, new int[] {6, 4, 0, 0}, new int[] {5, 3, 2, 0}),
            new Shape(2, 30, 9, 2, 11, new int[] {30, 17}, new int[] {9, 4}),
            new Shape(2, 20, 17, 8, 2, new int[] {13, 20}, new int[] {17, 11}),
            new Shape(1, 3, 4, 16, 64, new int[] {2}, new int[] {3}),
            // The flash kernels' other head sizes (padded to 4 and 8, and 1 to 2) and heads not dividing a warp.
            new Shape(3, 5, 7, 3, 3, new int[] {5, 0, 2}, new int[] {7, 0, 4}),
            new Shape(2, 4, 6, 5, 7, new int[] {1, 4}, new int[] {6, 2}),
            new Shape(2, 9, 12, 4, 1, new int[] {9, 3}, new int[] {12, 5}),
        };
        long seed = 100;
        for (Shape s : shapes) {
            for (boolean causal : new boolean[] {true, false}) {
                for (float[] dropoutAndTraining : new float[][] {{0f, 1f}, {0.3f, 1f}, {0.3f, 0f}}) {
                    compare(device, s, causal, dropoutAndTraining[0], dropoutAndTraining[1] != 0, seed++);
                }
            }
        }
    }

    /**
     * The seed preset's sizes (Te 63, Td 168, 8 heads of 2) on two samples, one with a short encoder and decoder:
     * several query blocks, key blocks and query chunks of the weights-free backward.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void presetSizesMatchTheCpuOp(GpuDevice device) {
        Shape s = new Shape(2, 63, 168, 8, 2, new int[] {63, 20}, new int[] {168, 100});
        compare(device, s, true, 0.1f, true, 7);
        compare(device, s, false, 0f, true, 8);
    }

    /** Inference needs no weights: the output is the same without them. */
    @ParameterizedTest
    @MethodSource("devices")
    void forwardWithoutWeightsGivesTheSameOutput(GpuDevice device) {
        Shape s = new Shape(2, 4, 3, 2, 2, new int[] {3, 4}, new int[] {3, 2});
        Tensor q = Tensor.randn(1, s.batch, s.td, s.heads, s.d);
        Tensor k = Tensor.randn(2, s.batch, s.keys(), s.heads, s.d);
        Tensor v = Tensor.randn(3, s.batch, s.keys(), s.d);
        try (GpuDevice.Scope scope = device.scope()) {
            DeviceTensor dq = device.upload(q);
            DeviceTensor dk = device.upload(k);
            DeviceTensor dv = device.upload(v);
            DeviceTensor enc = device.upload(floats(s.encoderLengths), s.batch);
            DeviceTensor dec = device.upload(floats(s.decoderLengths), s.batch);
            DeviceTensor with = device.empty(s.batch, s.td, s.d);
            DeviceTensor without = device.empty(s.batch, s.td, s.d);
            DeviceTensor weights = device.empty(s.batch, s.td, s.heads, s.keys());
            DeviceAttention.forward(dq, dk, dv, enc, dec, true, 0.2f, true, 5L, with, weights);
            DeviceAttention.forward(dq, dk, dv, enc, dec, true, 0.2f, true, 5L, without, null);
            assertArrayEquals(with.toFloatArray(), without.toFloatArray());
        }
    }

    /** A seed read from device memory makes the same masks as the same seed passed as an argument. */
    @ParameterizedTest
    @MethodSource("devices")
    void seedInDeviceMemoryMatchesTheArgument(GpuDevice device) {
        Shape s = new Shape(2, 4, 3, 2, 2, new int[] {3, 4}, new int[] {3, 2});
        long seed = 0x9E3779B97F4A7C15L;
        try (GpuDevice.Scope scope = device.scope()) {
            DeviceTensor q = device.upload(Tensor.randn(1, s.batch, s.td, s.heads, s.d));
            DeviceTensor k = device.upload(Tensor.randn(2, s.batch, s.keys(), s.heads, s.d));
            DeviceTensor v = device.upload(Tensor.randn(3, s.batch, s.keys(), s.d));
            DeviceTensor gradOut = device.upload(Tensor.randn(4, s.batch, s.td, s.d));
            DeviceTensor enc = device.upload(floats(s.encoderLengths), s.batch);
            DeviceTensor dec = device.upload(floats(s.decoderLengths), s.batch);
            DeviceTensor seeds = device.empty(4); // two 64-bit seeds; slot 1 holds ours
            device.driver().upload(seeds.address(), new long[] {0x0000000700000007L, seed}, 0, 2);
            DeviceTensor[][] results = new DeviceTensor[4][];
            for (int run = 0; run < 4; run++) {
                DeviceTensor out = device.empty(s.batch, s.td, s.d);
                DeviceTensor weights = device.empty(s.batch, s.td, s.heads, s.keys());
                DeviceTensor gq = device.empty(q.shape());
                DeviceTensor gk = device.empty(k.shape());
                DeviceTensor gv = device.empty(v.shape());
                DeviceTensor stats = device.empty(DeviceAttention.statsShape(s.batch, s.td, s.heads, s.d));
                if (run == 0) {
                    DeviceAttention.forward(q, k, v, enc, dec, false, 0.4f, true, seed, out, weights);
                    DeviceAttention.backward(gradOut, q, k, v, weights, enc, dec, false, 0.4f, true, seed, gq, gk, gv);
                } else if (run == 1) {
                    DeviceAttention.forward(q, k, v, enc, dec, false, 0.4f, true, seeds.address(), 1, out, weights);
                    DeviceAttention.backward(gradOut, q, k, v, weights, enc, dec, false, 0.4f, true, seeds.address(), 1,
                            gq, gk, gv);
                } else if (run == 2) { // the weights-free path
                    DeviceAttention.forward(q, k, v, enc, dec, false, 0.4f, true, seed, out, null, stats);
                    DeviceAttention.backward(gradOut, q, k, v, null, stats, enc, dec, false, 0.4f, true, seed, gq, gk,
                            gv);
                } else {
                    DeviceAttention.forward(q, k, v, enc, dec, false, 0.4f, true, seeds.address(), 1, out, null, stats);
                    DeviceAttention.backward(gradOut, q, k, v, null, stats, enc, dec, false, 0.4f, true,
                            seeds.address(), 1, gq, gk, gv);
                }
                results[run] = new DeviceTensor[] {out, gq, gk, gv};
            }
            for (int i = 0; i < results[0].length; i++) {
                assertArrayEquals(results[0][i].toFloatArray(), results[1][i].toFloatArray(), "result " + i);
                assertArrayEquals(results[2][i].toFloatArray(), results[3][i].toFloatArray(), "flash result " + i);
            }
        }
    }

    private record Shape(int batch, int te, int td, int heads, int d, int[] encoderLengths, int[] decoderLengths) {
        int keys() {
            return te + td;
        }

        @Override
        public String toString() {
            return "B " + batch + ", Te " + te + ", Td " + td + ", " + heads + " heads of " + d + ", encoder lengths "
                    + java.util.Arrays.toString(encoderLengths) + ", decoder lengths " + java.util.Arrays.toString(decoderLengths);
        }
    }

    private static void compare(GpuDevice device, Shape s, boolean causal, float dropout, boolean training, long seed) {
        Tensor q = Tensor.randn(seed * 10 + 1, s.batch, s.td, s.heads, s.d);
        Tensor k = Tensor.randn(seed * 10 + 2, s.batch, s.keys(), s.heads, s.d);
        Tensor v = Tensor.randn(seed * 10 + 3, s.batch, s.keys(), s.d);
        Tensor gradOut = Tensor.randn(seed * 10 + 4, s.batch, s.td, s.d);
        long dropoutSeed = seed * 7919;

        Variable cq = Variable.parameter(q);
        Variable ck = Variable.parameter(k);
        Variable cv = Variable.parameter(v);
        InterpretableAttention.Result cpu = InterpretableAttention.apply(cq, ck, cv, s.encoderLengths, s.decoderLengths,
                causal, dropout, training, dropoutSeed, true);
        cpu.output().backward(gradOut);

        String what = s + " causal " + causal + " dropout " + dropout + " training " + training;
        try (GpuDevice.Scope scope = device.scope()) {
            DeviceTensor dq = device.upload(q);
            DeviceTensor dk = device.upload(k);
            DeviceTensor dv = device.upload(v);
            DeviceTensor enc = device.upload(floats(s.encoderLengths), s.batch);
            DeviceTensor dec = device.upload(floats(s.decoderLengths), s.batch);
            DeviceTensor out = device.empty(s.batch, s.td, s.d);
            DeviceTensor weights = device.empty(s.batch, s.td, s.heads, s.keys());
            DeviceAttention.forward(dq, dk, dv, enc, dec, causal, dropout, training, dropoutSeed, out, weights);
            assertClose(cpu.weights().toFloatArray(), weights.toFloatArray(), 1e-6f, 1e-5f, "weights, " + what);
            assertClose(cpu.output().value().toFloatArray(), out.toFloatArray(), 2e-5f, 1e-4f, "output, " + what);

            DeviceTensor gq = device.empty(q.shape());
            DeviceTensor gk = device.empty(k.shape());
            DeviceTensor gv = device.empty(v.shape());
            // Garbage first: the backward overwrites, it does not accumulate.
            gq.copyFrom(Tensor.randn(1, q.shape()));
            gk.copyFrom(Tensor.randn(2, k.shape()));
            gv.copyFrom(Tensor.randn(3, v.shape()));
            DeviceTensor dGradOut = device.upload(gradOut);
            DeviceAttention.backward(dGradOut, dq, dk, dv, weights, enc, dec, causal, dropout, training,
                    dropoutSeed, gq, gk, gv);
            assertClose(cq.grad().toFloatArray(), gq.toFloatArray(), 5e-5f, 1e-4f, "dq, " + what);
            assertClose(ck.grad().toFloatArray(), gk.toFloatArray(), 5e-5f, 1e-4f, "dk, " + what);
            assertClose(cv.grad().toFloatArray(), gv.toFloatArray(), 5e-5f, 1e-4f, "dv, " + what);

            // The weights-free path: the same output bit for bit (the same kernel), the gradients from the
            // statistics against the CPU's and, to float rounding, against those from the weights.
            boolean small = s.d <= 8;
            assertEquals(small, DeviceAttention.statsSupported(s.keys(), s.heads, s.d), "stats supported, " + what);
            if (!small) {
                return;
            }
            DeviceTensor out2 = device.empty(s.batch, s.td, s.d);
            DeviceTensor stats = device.empty(DeviceAttention.statsShape(s.batch, s.td, s.heads, s.d));
            DeviceAttention.forward(dq, dk, dv, enc, dec, causal, dropout, training, dropoutSeed, out2, null, stats);
            assertArrayEquals(out.toFloatArray(), out2.toFloatArray(), "output with statistics, " + what);
            DeviceTensor gq2 = device.empty(q.shape());
            DeviceTensor gk2 = device.empty(k.shape());
            DeviceTensor gv2 = device.empty(v.shape());
            gq2.copyFrom(Tensor.randn(4, q.shape()));
            gk2.copyFrom(Tensor.randn(5, k.shape()));
            gv2.copyFrom(Tensor.randn(6, v.shape()));
            DeviceAttention.backward(dGradOut, dq, dk, dv, null, stats, enc, dec, causal, dropout, training,
                    dropoutSeed, gq2, gk2, gv2);
            assertClose(cq.grad().toFloatArray(), gq2.toFloatArray(), 5e-5f, 1e-4f, "dq from statistics, " + what);
            assertClose(ck.grad().toFloatArray(), gk2.toFloatArray(), 5e-5f, 1e-4f, "dk from statistics, " + what);
            assertClose(cv.grad().toFloatArray(), gv2.toFloatArray(), 5e-5f, 1e-4f, "dv from statistics, " + what);
            assertClose(gq.toFloatArray(), gq2.toFloatArray(), 2e-6f, 2e-5f, "dq, statistics against weights, " + what);
            assertClose(gk.toFloatArray(), gk2.toFloatArray(), 2e-6f, 2e-5f, "dk, statistics against weights, " + what);
            assertClose(gv.toFloatArray(), gv2.toFloatArray(), 2e-6f, 2e-5f, "dv, statistics against weights, " + what);
        }
    }

    static float[] floats(int[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = values[i];
        }
        return f;
    }

    static void assertClose(float[] want, float[] got, float atol, float rtol, String what) {
        assertTrue(want.length == got.length, what + ": " + got.length + " values, expected " + want.length);
        for (int i = 0; i < want.length; i++) {
            float tolerance = atol + rtol * Math.abs(want[i]);
            if (!(Math.abs(want[i] - got[i]) <= tolerance)) {
                throw new AssertionError(what + " at " + i + ": expected " + want[i] + ", got " + got[i]);
            }
        }
    }
}
