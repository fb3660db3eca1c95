package dev.tempora.gpu.autograd;

import static dev.tempora.gpu.autograd.OpParity.all;
import static dev.tempora.gpu.autograd.OpParity.check;

import dev.tempora.autograd.Functional;
import dev.tempora.autograd.LstmSequence;
import dev.tempora.autograd.Variable;
import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.Devices;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.models.DropoutSeeds;
import dev.tempora.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every device op's output and input gradients against the CPU autograd, on small random inputs. */
class DeviceOpsTest {
    private static final float TOLERANCE = 1e-4f;

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    private static DeviceVariable[] one(DeviceVariable v) {
        return new DeviceVariable[] {v};
    }

    private static Variable[] one(Variable v) {
        return new Variable[] {v};
    }

    @ParameterizedTest
    @MethodSource("devices")
    void linearAndMatmul(GpuDevice device) {
        check(device, "linear", new Tensor[] {Tensor.randn(1, 2, 3, 5), Tensor.randn(2, 4, 5), Tensor.randn(3, 4)}, all(3),
                v -> one(Functional.linear(v[0], v[1], v[2])),
                (t, v) -> one(LinearOps.linear(t, v[0], v[1], v[2])), TOLERANCE);
        check(device, "linear without bias", new Tensor[] {Tensor.randn(4, 7, 3), Tensor.randn(5, 6, 3)}, all(2),
                v -> one(Functional.linear(v[0], v[1], null)),
                (t, v) -> one(LinearOps.linear(t, v[0], v[1], null)), TOLERANCE);
        // Enough rows that the bias gradient's column sums run in chunks (a second pass adds them).
        check(device, "linear over 2500 rows", new Tensor[] {Tensor.randn(6, 2500, 2), Tensor.randn(7, 3, 2),
                Tensor.randn(8, 3)}, all(3),
                v -> one(Functional.linear(v[0], v[1], v[2])),
                (t, v) -> one(LinearOps.linear(t, v[0], v[1], v[2])), 2e-4f);
        check(device, "matmul", new Tensor[] {Tensor.randn(9, 2, 3, 4), Tensor.randn(10, 4, 6)}, new boolean[] {true, false},
                v -> one(v[0].matmul(v[1])),
                (t, v) -> one(LinearOps.matmul(t, v[0], v[1])), TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void unaryFunctions(GpuDevice device) {
        Tensor x = Tensor.randn(11, 3, 37).mul(3f);
        check(device, "elu", new Tensor[] {x}, all(1), v -> one(v[0].elu()), (t, v) -> one(ElementwiseOps.elu(t, v[0])),
                TOLERANCE);
        check(device, "sigmoid", new Tensor[] {x}, all(1), v -> one(v[0].sigmoid()),
                (t, v) -> one(ElementwiseOps.unary(t, DeviceUnary.SIGMOID, v[0], 0f, 0f)), TOLERANCE);
        check(device, "tanh", new Tensor[] {x}, all(1), v -> one(v[0].tanh()),
                (t, v) -> one(ElementwiseOps.unary(t, DeviceUnary.TANH, v[0], 0f, 0f)), TOLERANCE);
        check(device, "exp", new Tensor[] {x}, all(1), v -> one(v[0].exp()),
                (t, v) -> one(ElementwiseOps.unary(t, DeviceUnary.EXP, v[0], 0f, 0f)), TOLERANCE);
        check(device, "relu", new Tensor[] {x}, all(1), v -> one(v[0].relu()),
                (t, v) -> one(ElementwiseOps.unary(t, DeviceUnary.RELU, v[0], 0f, 0f)), TOLERANCE);
        check(device, "softplus", new Tensor[] {x.mul(4f)}, all(1), v -> one(v[0].softplus()),
                (t, v) -> one(ElementwiseOps.unary(t, DeviceUnary.SOFTPLUS, v[0], 1f, 20f)), TOLERANCE);
        check(device, "square", new Tensor[] {x}, all(1), v -> one(v[0].square()),
                (t, v) -> one(ElementwiseOps.unary(t, DeviceUnary.SQUARE, v[0], 0f, 0f)), TOLERANCE);
        check(device, "clamp", new Tensor[] {x}, all(1), v -> one(v[0].clamp(-1f, 2f)),
                (t, v) -> one(ElementwiseOps.unary(t, DeviceUnary.CLAMP, v[0], -1f, 2f)), TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void broadcastingSumsAndGradientAccumulation(GpuDevice device) {
        check(device, "add (B, T, n) + (B, 1, n)", new Tensor[] {Tensor.randn(12, 3, 5, 4), Tensor.randn(13, 3, 1, 4)},
                all(2), v -> one(v[0].add(v[1])), (t, v) -> one(ElementwiseOps.add(t, v[0], v[1])), TOLERANCE);
        check(device, "add of equal shapes", new Tensor[] {Tensor.randn(14, 3, 5), Tensor.randn(15, 3, 5)}, all(2),
                v -> one(v[0].add(v[1])), (t, v) -> one(ElementwiseOps.add(t, v[0], v[1])), TOLERANCE);
        // x feeds three consumers: its gradient is the sum of theirs, whatever order they run backwards.
        check(device, "fan-out", new Tensor[] {Tensor.randn(16, 4, 6)}, all(1),
                v -> one(v[0].elu().add(v[0].sigmoid()).add(v[0].reshape(6, 4).reshape(4, 6))),
                (t, v) -> one(ElementwiseOps.add(t, ElementwiseOps.add(t, ElementwiseOps.elu(t, v[0]),
                        ElementwiseOps.unary(t, DeviceUnary.SIGMOID, v[0], 0f, 0f)),
                        ShapeOps.reshape(t, ShapeOps.reshape(t, v[0], 6, 4), 4, 6))), TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void dropoutMasksMatchTheCpuSeeds(GpuDevice device) {
        long base = 77;
        long secondSeed;
        try (DropoutSeeds.Scope s = DropoutSeeds.open(base)) {
            DropoutSeeds.next();
            secondSeed = DropoutSeeds.next();
        }
        try (DeviceDropoutSeeds seeds = new DeviceDropoutSeeds(device, 4)) {
            seeds.load(base);
            seeds.next();
            int slot = seeds.next();
            check(device, "dropout", new Tensor[] {Tensor.randn(17, 5, 300)}, all(1),
                    v -> one(v[0].dropout(0.3f, true, secondSeed)),
                    (t, v) -> one(ElementwiseOps.dropout(t, v[0], 0.3f, seeds, slot)), TOLERANCE);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void maskGateAndSampleAffine(GpuDevice device) {
        check(device, "mask gate", new Tensor[] {Tensor.randn(18, 3, 4, 6), Tensor.randn(19, 6)}, all(2),
                v -> one(v[0].mul(v[1].sigmoid().mul(2f))), (t, v) -> one(ElementwiseOps.maskGate(t, v[0], v[1])),
                TOLERANCE);
        Tensor targetScale = Tensor.randn(20, 3, 2);
        check(device, "sample affine", new Tensor[] {Tensor.randn(21, 3, 4, 5)}, all(1), v -> {
            Variable center = Variable.constant(targetScale.narrow(1, 0, 1).reshape(3, 1, 1));
            Variable scale = Variable.constant(targetScale.narrow(1, 1, 1).reshape(3, 1, 1));
            return one(v[0].mul(scale).add(center));
        }, (t, v) -> one(ElementwiseOps.sampleAffine(t, v[0], t.device().upload(targetScale))), TOLERANCE);
    }

    /**
     * The paired column sums (a norm's weight and bias gradients in one reduction) give the bits of two
     * separate ones, with one chunk and with several (rows > 2048), written or added.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void columnSumsPairMatchesTwoColumnSums(GpuDevice device) {
        for (int rows : new int[] {5, 3000}) {
            int n = 37;
            for (int flags = 0; flags < 4; flags++) {
                boolean accumulate0 = (flags & 1) != 0;
                boolean accumulate1 = (flags & 2) != 0;
                try (DeviceTensor a0 = device.upload(Tensor.randn(rows, rows, n));
                     DeviceTensor a1 = device.upload(Tensor.randn(rows + 1, rows, n));
                     DeviceTensor p0 = device.upload(Tensor.randn(7, n)); DeviceTensor p1 = device.upload(Tensor.randn(8, n));
                     DeviceTensor s0 = device.upload(Tensor.randn(7, n)); DeviceTensor s1 = device.upload(Tensor.randn(8, n))) {
                    Kernels.columnSumsPair(device, a0.address(), p0.address(), accumulate0, a1.address(), p1.address(),
                            accumulate1, rows, n);
                    Kernels.columnSums(device, a0.address(), s0.address(), accumulate0, rows, n);
                    Kernels.columnSums(device, a1.address(), s1.address(), accumulate1, rows, n);
                    String what = "rows " + rows + " accumulate " + accumulate0 + ", " + accumulate1;
                    org.junit.jupiter.api.Assertions.assertArrayEquals(s0.toFloatArray(), p0.toFloatArray(), what);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(s1.toFloatArray(), p1.toFloatArray(), what);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void normalisations(GpuDevice device) {
        // 37 wide: a warp's lanes wrap around the row.
        check(device, "layer norm", new Tensor[] {Tensor.randn(22, 3, 5, 37), Tensor.randn(23, 37), Tensor.randn(24, 37)},
                all(3), v -> one(v[0].layerNorm(1, v[1], v[2], 1e-5f)),
                (t, v) -> one(NormOps.layerNorm(t, v[0], v[1], v[2], 1e-5f)), TOLERANCE);
        check(device, "glu", new Tensor[] {Tensor.randn(25, 4, 3, 10)}, all(1), v -> one(Functional.glu(v[0])),
                (t, v) -> one(NormOps.glu(t, v[0])), TOLERANCE);
        check(device, "gate add norm", new Tensor[] {Tensor.randn(26, 3, 7, 12), Tensor.randn(27, 3, 7, 6),
                Tensor.randn(28, 6), Tensor.randn(29, 6)}, all(4),
                v -> one(Functional.gateAddNorm(v[0], v[1], v[2], v[3], 1e-5f)),
                (t, v) -> one(NormOps.gateAddNorm(t, v[0], v[1], v[2], v[3], 1e-5f)), TOLERANCE);
        check(device, "softmax", new Tensor[] {Tensor.randn(30, 3, 5, 7)}, all(1), v -> one(v[0].softmax(-1)),
                (t, v) -> one(NormOps.softmax(t, v[0])), TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void maskedSoftmaxKeepsEachRowsFirstEntries(GpuDevice device) {
        int rows = 6;
        int len = 40;
        float[] lengths = {3, 40, 1, 17}; // per pair of rows; 40 leaves a row unmasked
        Tensor x = Tensor.randn(31, rows, len);
        Tensor mask = Tensor.zeros(rows, len);
        for (int r = 0; r < rows; r++) {
            for (int j = (int) lengths[r / 2]; j < len; j++) {
                mask.set(1f, r, j);
            }
        }
        check(device, "masked softmax", new Tensor[] {x}, all(1),
                v -> one(v[0].maskedFill(mask, Float.NEGATIVE_INFINITY).softmax(-1)),
                (t, v) -> one(NormOps.softmax(t, v[0], t.device().upload(lengths, 4), 2)), TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void weightedSum(GpuDevice device) {
        check(device, "weighted sum", new Tensor[] {Tensor.randn(32, 3, 4, 5), Tensor.randn(33, 3, 4, 5),
                Tensor.randn(34, 3, 4, 5), Tensor.randn(35, 3, 4, 1, 3)}, all(4),
                v -> one(Functional.weightedSum(new Variable[] {v[0], v[1], v[2]}, v[3])),
                (t, v) -> one(NormOps.weightedSum(t, new DeviceVariable[] {v[0], v[1], v[2]}, v[3])), TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void concatNarrowAndReshape(GpuDevice device) {
        check(device, "concat last axis", new Tensor[] {Tensor.randn(36, 3, 4, 2), Tensor.randn(37, 3, 4, 5),
                Tensor.randn(38, 3, 4, 1)}, all(3), v -> one(Variable.concat(-1, v[0], v[1], v[2])),
                (t, v) -> one(ShapeOps.concat(t, -1, v[0], v[1], v[2])), TOLERANCE);
        check(device, "concat time", new Tensor[] {Tensor.randn(39, 3, 4, 5), Tensor.randn(40, 3, 2, 5)}, all(2),
                v -> one(Variable.concat(1, v[0], v[1])), (t, v) -> one(ShapeOps.concat(t, 1, v[0], v[1])), TOLERANCE);
        check(device, "narrow time", new Tensor[] {Tensor.randn(41, 3, 6, 5)}, all(1), v -> one(v[0].narrow(1, 4, 2)),
                (t, v) -> one(ShapeOps.narrow(t, v[0], 1, 4, 2)), TOLERANCE);
        check(device, "reshape", new Tensor[] {Tensor.randn(42, 3, 6, 5)}, all(1), v -> one(v[0].reshape(18, 5).elu()),
                (t, v) -> one(ElementwiseOps.elu(t, ShapeOps.reshape(t, v[0], 18, 5))), TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void embeddingLookupReadsIdsInPlace(GpuDevice device) {
        int batch = 3;
        int steps = 5;
        int columns = 2;
        float[] cat = new float[batch * steps * columns];
        for (int i = 0; i < cat.length; i++) {
            cat[i] = (i * 7 + i / 3) % 6;
        }
        Tensor categoricals = Tensor.wrap(cat, batch, steps, columns);
        Tensor ids = categoricals.select(2, 1).contiguous();
        check(device, "embedding", new Tensor[] {Tensor.randn(43, 6, 4)}, all(1), v -> one(v[0].indexSelect(0, ids)),
                (t, v) -> {
                    long address = t.device().upload(categoricals).address(1); // column 1
                    return one(EmbeddingOps.lookup(t, v[0], address, steps * columns, columns, batch, steps));
                }, TOLERANCE);
        Tensor firstStep = ids.narrow(1, 0, 1).contiguous();
        check(device, "embedding of the first step", new Tensor[] {Tensor.randn(44, 6, 4)}, all(1),
                v -> one(v[0].indexSelect(0, firstStep)),
                (t, v) -> {
                    long address = t.device().upload(categoricals).address(1); // column 1
                    return one(EmbeddingOps.lookup(t, v[0], address, steps * columns, columns, batch, 1));
                }, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void lstmWithLengthsMatchesLstmSequence(GpuDevice device) {
        lstmMatchesLstmSequence(device, 6, true, 45);
    }

    /**
     * Every kernel choice (LstmOps.registerSuffix): W_hh in registers at 20 (the seed preset), 40 and 70, and the
     * general kernels with W_hh in shared memory (20 and 40, forced) and in global memory (100: does not fit).
     */
    @ParameterizedTest
    @MethodSource("devices")
    void lstmKernelsAtEverySizeMatchLstmSequence(GpuDevice device) {
        lstmMatchesLstmSequence(device, 20, true, 52);
        lstmMatchesLstmSequence(device, 20, false, 52);
        lstmMatchesLstmSequence(device, 40, true, 59);
        lstmMatchesLstmSequence(device, 40, false, 59);
        lstmMatchesLstmSequence(device, 70, true, 66);
        lstmMatchesLstmSequence(device, 100, true, 73);
    }

    private static void lstmMatchesLstmSequence(GpuDevice device, int hidden, boolean allowRegisters, long seed) {
        int batch = 4;
        int steps = 5;
        int in = 3;
        int[] lengths = {5, 2, 0, 4}; // a full, a short and an empty sample
        float scale = (float) (1.5 / Math.sqrt(hidden)); // gates neither saturated nor linear at every size
        Tensor[] inputs = {Tensor.randn(seed, batch, steps, in), Tensor.randn(seed + 1, batch, hidden),
                Tensor.randn(seed + 2, batch, hidden), Tensor.randn(seed + 3, 4 * hidden, in).mul(0.5f),
                Tensor.randn(seed + 4, 4 * hidden, hidden).mul(scale), Tensor.randn(seed + 5, 4 * hidden),
                Tensor.randn(seed + 6, 4 * hidden)};
        String name = "lstm, hidden " + hidden + (allowRegisters ? "" : ", general kernels") + " ("
                + (LstmOps.registerSuffix(hidden, allowRegisters).isEmpty()
                        ? LstmOps.sharedWeightsFit(hidden) ? "W_hh in shared memory" : "W_hh in global memory"
                        : "W_hh in registers") + ")";
        check(device, name, inputs, all(7), v -> {
            LstmSequence.Result r = LstmSequence.apply(v[0], v[1], v[2], v[3], v[4], v[5], v[6], lengths);
            return new Variable[] {r.output(), r.finalHidden(), r.finalCell()};
        }, (t, v) -> {
            float[] l = new float[batch];
            for (int b = 0; b < batch; b++) {
                l[b] = lengths[b];
            }
            LstmOps.Result r = LstmOps.lstm(t, v[0], v[1], v[2], v[3], v[4], v[5], v[6], t.device().upload(l, batch),
                    allowRegisters);
            return new DeviceVariable[] {r.output(), r.finalHidden(), r.finalCell()};
        }, 2e-4f);
    }
}
