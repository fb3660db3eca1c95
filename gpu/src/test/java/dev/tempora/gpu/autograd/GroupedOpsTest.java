package dev.tempora.gpu.autograd;

import static dev.tempora.gpu.autograd.OpParity.all;
import static dev.tempora.gpu.autograd.OpParity.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tempora.autograd.Functional;
import dev.tempora.autograd.Variable;
import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.Devices;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.models.DropoutSeeds;
import dev.tempora.tensor.Tensor;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grouped ops (a group of equal-shape layers run as one: the members' activations stacked on a first
 * axis, their parameters stacked) against the CPU autograd running each member's layer alone on its slices,
 * outputs and every input gradient.
 */
class GroupedOpsTest {
    private static final float TOLERANCE = 1e-4f;

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /** The CPU reference: member m's result from {@code member}, stacked along a new first axis. */
    private static Variable[] stacked(int members, IntFunction<Variable> member) {
        Variable[] parts = new Variable[members];
        for (int m = 0; m < members; m++) {
            Variable v = member.apply(m);
            int[] shape = new int[v.shape().length + 1];
            shape[0] = 1;
            System.arraycopy(v.shape(), 0, shape, 1, v.shape().length);
            parts[m] = v.reshape(shape);
        }
        return new Variable[] {Variable.concat(0, parts)};
    }

    /** Member m of a stacked x (members, ...): x[m]. */
    private static Variable member(Variable x, int m) {
        int[] shape = java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length);
        return x.narrow(0, m, 1).reshape(shape);
    }

    /** Member m's rows of a stacked (members·n, ...) parameter. */
    private static Variable rows(Variable p, int m, int n) {
        return p.narrow(0, m * n, n);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void groupedLinearMatchesEachMembersLinear(GpuDevice device) {
        check(device, "grouped linear", new Tensor[] {Tensor.randn(1, 3, 2, 5, 4), Tensor.randn(2, 18, 4),
                Tensor.randn(3, 18)}, all(3),
                v -> stacked(3, m -> Functional.linear(member(v[0], m), rows(v[1], m, 6), rows(v[2], m, 6))),
                (t, v) -> new DeviceVariable[] {LinearOps.groupedLinear(t, v[0], v[1], v[2])}, TOLERANCE);
        check(device, "grouped linear without bias", new Tensor[] {Tensor.randn(4, 2, 7, 3), Tensor.randn(5, 10, 3)},
                all(2), v -> stacked(2, m -> Functional.linear(member(v[0], m), rows(v[1], m, 5), null)),
                (t, v) -> new DeviceVariable[] {LinearOps.groupedLinear(t, v[0], v[1], null)}, TOLERANCE);
        // Enough rows that the weight gradients split K (each member's splits, then the batched reduction).
        check(device, "grouped linear over 2500 rows", new Tensor[] {Tensor.randn(6, 3, 2500, 4),
                Tensor.randn(7, 12, 4), Tensor.randn(8, 12)}, all(3),
                v -> stacked(3, m -> Functional.linear(member(v[0], m), rows(v[1], m, 4), rows(v[2], m, 4))),
                (t, v) -> new DeviceVariable[] {LinearOps.groupedLinear(t, v[0], v[1], v[2])}, 2e-4f);
        check(device, "grouped linear of one member", new Tensor[] {Tensor.randn(9, 1, 6, 20), Tensor.randn(10, 40, 20),
                Tensor.randn(11, 40)}, all(3),
                v -> stacked(1, m -> Functional.linear(member(v[0], m), v[1], v[2])),
                (t, v) -> new DeviceVariable[] {LinearOps.groupedLinear(t, v[0], v[1], v[2])}, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void groupedNormsMatchEachMembersNorm(GpuDevice device) {
        check(device, "grouped layer norm", new Tensor[] {Tensor.randn(12, 3, 2, 5, 37), Tensor.randn(13, 111),
                Tensor.randn(14, 111)}, all(3),
                v -> stacked(3, m -> member(v[0], m).layerNorm(1, rows(v[1], m, 37), rows(v[2], m, 37), 1e-5f)),
                (t, v) -> new DeviceVariable[] {NormOps.layerNorm(t, v[0], v[1], v[2], 1e-5f)}, TOLERANCE);
        check(device, "grouped gate add norm", new Tensor[] {Tensor.randn(15, 3, 7, 12), Tensor.randn(16, 3, 7, 6),
                Tensor.randn(17, 18), Tensor.randn(18, 18)}, all(4),
                v -> stacked(3, m -> Functional.gateAddNorm(member(v[0], m), member(v[1], m), rows(v[2], m, 6),
                        rows(v[3], m, 6), 1e-5f)),
                (t, v) -> new DeviceVariable[] {NormOps.gateAddNorm(t, v[0], v[1], v[2], v[3], 1e-5f)}, TOLERANCE);
        // Members of more than 2048 rows: the parameters' column sums run in chunks.
        check(device, "grouped gate add norm over 2100 rows", new Tensor[] {Tensor.randn(19, 2, 2100, 12),
                Tensor.randn(20, 2, 2100, 6), Tensor.randn(21, 12), Tensor.randn(22, 12)}, all(4),
                v -> stacked(2, m -> Functional.gateAddNorm(member(v[0], m), member(v[1], m), rows(v[2], m, 6),
                        rows(v[3], m, 6), 1e-5f)),
                (t, v) -> new DeviceVariable[] {NormOps.gateAddNorm(t, v[0], v[1], v[2], v[3], 1e-5f)}, 2e-4f);
        check(device, "grouped mask gate", new Tensor[] {Tensor.randn(23, 3, 4, 6), Tensor.randn(24, 18)}, all(2),
                v -> stacked(3, m -> member(v[0], m).mul(rows(v[1], m, 6).sigmoid().mul(2f))),
                (t, v) -> new DeviceVariable[] {ElementwiseOps.maskGate(t, v[0], v[1])}, TOLERANCE);
    }

    /** Each member's mask is the CPU's for that member alone with its own seed slot, whatever the slots' order. */
    @ParameterizedTest
    @MethodSource("devices")
    void groupedDropoutDrawsEachMembersMask(GpuDevice device) {
        long base = 91;
        long[] cpuSeeds = new long[4];
        try (DropoutSeeds.Scope s = DropoutSeeds.open(base)) {
            for (int i = 0; i < cpuSeeds.length; i++) {
                cpuSeeds[i] = DropoutSeeds.next();
            }
        }
        int[] slots = {2, 0, 3};
        try (DeviceDropoutSeeds seeds = new DeviceDropoutSeeds(device, 4)) {
            seeds.load(base);
            for (int i = 0; i < 4; i++) {
                seeds.next();
            }
            check(device, "grouped dropout", new Tensor[] {Tensor.randn(25, 3, 5, 70)}, all(1),
                    v -> stacked(3, m -> member(v[0], m).dropout(0.3f, true, cpuSeeds[slots[m]])),
                    (t, v) -> new DeviceVariable[] {ElementwiseOps.dropoutMembers(t, v[0], 0.3f, seeds, slots)},
                    TOLERANCE);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void stackAndUnstack(GpuDevice device) {
        // Each part feeds the stack and another consumer; member 1 of the unstacked result feeds nothing.
        check(device, "stack, unstack", new Tensor[] {Tensor.randn(26, 4, 5), Tensor.randn(27, 4, 5),
                Tensor.randn(28, 4, 5)}, all(3),
                v -> {
                    Variable s = stacked(3, m -> v[m])[0].elu();
                    return new Variable[] {member(s, 0).add(v[0]), member(s, 2).add(member(s, 2))};
                },
                (t, v) -> {
                    DeviceVariable[] parts = ShapeOps.unstack(t, ElementwiseOps.elu(t, ShapeOps.stack(t, v)));
                    return new DeviceVariable[] {ElementwiseOps.add(t, parts[0], v[0]),
                            ElementwiseOps.add(t, parts[2], parts[2])};
                }, TOLERANCE);
    }

    /** The grouped paired column sums give the bits of a grouped sum each (one chunk and several). */
    @ParameterizedTest
    @MethodSource("devices")
    void groupedColumnSumsPairMatchesSumMiddle(GpuDevice device) {
        int outer = 3;
        int n = 37;
        for (int rows : new int[] {5, 3000}) {
            try (DeviceTensor a0 = device.upload(Tensor.randn(rows, outer, rows, n));
                 DeviceTensor a1 = device.upload(Tensor.randn(rows + 1, outer, rows, n));
                 DeviceTensor p0 = device.upload(Tensor.randn(7, outer, n));
                 DeviceTensor p1 = device.upload(Tensor.randn(8, outer, n));
                 DeviceTensor s0 = device.upload(Tensor.randn(7, outer, n));
                 DeviceTensor s1 = device.upload(Tensor.randn(8, outer, n))) {
                Kernels.columnSumsPair(device, a0.address(), p0.address(), false, a1.address(), p1.address(), true,
                        outer, rows, n);
                Kernels.sumMiddle(device, a0.address(), 0L, s0.address(), false, outer, rows, n);
                Kernels.sumMiddle(device, a1.address(), 0L, s1.address(), true, outer, rows, n);
                assertArrayEquals(s0.toFloatArray(), p0.toFloatArray(), "rows " + rows);
                assertArrayEquals(s1.toFloatArray(), p1.toFloatArray(), "rows " + rows);
            }
        }
    }
}
