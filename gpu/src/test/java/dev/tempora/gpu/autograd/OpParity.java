package dev.tempora.gpu.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tempora.autograd.Variable;
import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one op on the CPU autograd and on the device from the same inputs, backpropagates the same random
 * output gradients through both, and compares the outputs and every input gradient.
 */
final class OpParity {
    private OpParity() {
    }

    /** The device side of an op: its outputs from the device inputs (in the CPU inputs' order). */
    interface DeviceOp {
        DeviceVariable[] apply(Tape tape, DeviceVariable[] inputs);
    }

    /**
     * @param inputs       the op's inputs
     * @param differentiable which inputs get gradients (the others are constants on both sides)
     * @param cpu          the CPU op: its outputs from the inputs as variables
     * @param tolerance    relative tolerance: |device − cpu| ≤ tolerance·(1 + |cpu|)
     */
    static void check(GpuDevice device, String name, Tensor[] inputs, boolean[] differentiable,
                      Function<Variable[], Variable[]> cpu, DeviceOp op, float tolerance) {
        Variable[] cpuInputs = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            cpuInputs[i] = differentiable[i] ? Variable.parameter(inputs[i].copy()) : Variable.constant(inputs[i]);
        }
        Variable[] cpuOutputs = cpu.apply(cpuInputs);
        Tensor[] gradOutputs = new Tensor[cpuOutputs.length];
        Variable loss = null;
        for (int i = 0; i < cpuOutputs.length; i++) {
            gradOutputs[i] = Tensor.randn(1000 + i, cpuOutputs[i].shape());
            Variable part = cpuOutputs[i].mul(Variable.constant(gradOutputs[i])).sum();
            loss = loss == null ? part : loss.add(part);
        }
        loss.backward();

        try (GpuDevice.Scope scope = device.scope()) {
            DeviceVariable[] deviceInputs = new DeviceVariable[inputs.length];
            List<DeviceVariable> parameters = new ArrayList<>();
            for (int i = 0; i < inputs.length; i++) {
                DeviceTensor value = device.upload(inputs[i]);
                if (differentiable[i]) {
                    deviceInputs[i] = DeviceVariable.parameter(value, device.empty(inputs[i].shape()));
                    parameters.add(deviceInputs[i]);
                } else {
                    deviceInputs[i] = DeviceVariable.constant(value);
                }
            }
            Tape tape = Tape.training(device);
            DeviceVariable[] outputs = op.apply(tape, deviceInputs);
            assertEquals(cpuOutputs.length, outputs.length, name + ": output count");
            DeviceTensor[] deviceGrads = new DeviceTensor[outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                assertEquals(Arrays.toString(cpuOutputs[i].shape()), Arrays.toString(outputs[i].shape()),
                        name + ": output " + i + " shape");
                assertClose(name + ": output " + i, cpuOutputs[i].value(), outputs[i].value(), tolerance);
                deviceGrads[i] = device.upload(gradOutputs[i]);
            }
            tape.backward(outputs, deviceGrads, parameters);
            for (int i = 0; i < inputs.length; i++) {
                if (differentiable[i]) {
                    Tensor expected = cpuInputs[i].grad();
                    assertNotNull(expected, name + ": the CPU gave input " + i + " no gradient");
                    assertClose(name + ": gradient of input " + i, expected, deviceInputs[i].grad(), tolerance);
                }
            }
        }
    }

    static void assertClose(String what, Tensor expected, DeviceTensor actual, float tolerance) {
        float[] want = expected.contiguous().toFloatArray();
        float[] got = actual.toFloatArray();
        assertEquals(want.length, got.length, what + ": element count");
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tolerance * (1 + Math.abs(want[i])))) {
                throw new AssertionError(what + ": element " + i + " of " + Arrays.toString(expected.shape())
                        + " is " + got[i] + ", the CPU gives " + want[i]);
            }
        }
    }

    static boolean[] all(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }
}
