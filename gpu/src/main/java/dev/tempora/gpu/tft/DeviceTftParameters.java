package dev.tempora.gpu.tft;

import dev.tempora.autograd.Variable;
import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.gpu.autograd.DeviceVariable;
import dev.tempora.models.Module;
import dev.tempora.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters resident on the device: every value in one flat buffer and every gradient in another,
 * each parameter a slice of both, looked up by its PyTorch state-dict name (shared modules under each of their
 * names). One buffer each means the optimiser and the gradient clipping see a single tensor, and groups of
 * parameters laid out next to each other (the attention heads' query weights) form one matrix without a copy.
 */
final class DeviceTftParameters implements AutoCloseable {
    private final DeviceTensor values;
    private final DeviceTensor gradients;
    private final Map<String, DeviceVariable> byName = new LinkedHashMap<>();
    /** The distinct CPU parameters and their device twins, in layout order. */
    private final List<Variable> cpu = new ArrayList<>();
    private final List<DeviceVariable> device = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();
    private final Map<List<String>, DeviceVariable> groupViews = new HashMap<>();
    private final List<DeviceVariable> trainable = new ArrayList<>();

    /**
     * @param groups runs of names to lay out next to each other, in the given order, where the first of them
     *               would come in state-dict order
     */
    DeviceTftParameters(GpuDevice gpu, Module model, List<List<String>> groups) {
        Map<String, Variable> named = model.namedParameters();
        List<String> order = new ArrayList<>();
        for (String name : named.keySet()) {
            if (order.contains(name)) {
                continue;
            }
            List<String> group = groups.stream().filter(g -> g.contains(name)).findFirst().orElse(List.of(name));
            order.addAll(group);
        }
        long total = 0;
        for (String name : order) {
            total += named.get(name).value().numel();
        }
        // Outside any scope: these live as long as the model.
        values = gpu.empty(Math.toIntExact(Math.max(total, 1)));
        gradients = gpu.zeros(Math.toIntExact(Math.max(total, 1)));
        IdentityHashMap<Variable, DeviceVariable> twins = new IdentityHashMap<>();
        long offset = 0;
        for (String name : order) {
            Variable p = named.get(name);
            int[] shape = p.shape();
            DeviceVariable d = DeviceVariable.parameter(values.slice(offset, shape), gradients.slice(offset, shape));
            twins.put(p, d);
            cpu.add(p);
            device.add(d);
            offsets.add(offset);
            offset += p.value().numel();
        }
        for (Map.Entry<String, Variable> e : model.stateDict().entrySet()) {
            byName.put(e.getKey(), twins.get(e.getValue()));
        }
        // What a backward writes: each group as the one parameter the forward uses, the rest as they are.
        trainable.addAll(device);
        for (List<String> group : groups) {
            if (!group.isEmpty() && byName.containsKey(group.get(0))) {
                DeviceVariable view = groupView(group);
                groupViews.put(group, view);
                for (String name : group) {
                    trainable.remove(get(name));
                }
                trainable.add(view);
            }
        }
        copyFrom();
    }

    /** The group's parameters (equal shapes, laid out together) as one: (k·rows, columns), or (k·n) for vectors. */
    private DeviceVariable groupView(List<String> names) {
        DeviceVariable first = get(names.get(0));
        long expected = first.address();
        for (String n : names) {
            DeviceVariable v = get(n);
            if (v.address() != expected || !java.util.Arrays.equals(v.shape(), first.shape())) {
                throw new IllegalStateException("parameters " + names + " are not laid out together");
            }
            expected += 4L * v.numel();
        }
        int[] shape = first.shape();
        shape[0] *= names.size();
        long offset = offsets.get(device.indexOf(first));
        return DeviceVariable.parameter(values.slice(offset, shape), gradients.slice(offset, shape));
    }

    /** The parameter named {@code name} (a state-dict key). */
    DeviceVariable get(String name) {
        DeviceVariable v = byName.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return v;
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    /** A group given at construction, as one parameter (its members' rows stacked). */
    DeviceVariable group(List<String> names) {
        DeviceVariable v = groupViews.get(names);
        if (v == null) {
            throw new IllegalArgumentException("no parameter group " + names);
        }
        return v;
    }

    /**
     * The parameters a backward writes: every distinct one, except that a group's members are replaced by the
     * group (a forward that uses the group writes its gradient, not its members').
     */
    List<DeviceVariable> trainable() {
        return trainable;
    }

    /** Where the CPU parameter {@code p}'s values start in the flat buffers, in elements. */
    long offsetOf(Variable p) {
        for (int i = 0; i < cpu.size(); i++) {
            if (cpu.get(i) == p) {
                return offsets.get(i);
            }
        }
        throw new IllegalArgumentException("not a parameter of this model: " + java.util.Arrays.toString(p.shape()));
    }

    /** The flat value buffer and the flat gradient buffer. */
    DeviceTensor values() {
        return values;
    }

    DeviceTensor gradients() {
        return gradients;
    }

    /** The gradient of the parameter {@code name}, downloaded. */
    Tensor gradient(String name) {
        return get(name).grad().toTensor();
    }

    /** Uploads the CPU model's current parameter values. */
    void copyFrom() {
        for (int i = 0; i < cpu.size(); i++) {
            device.get(i).value().copyFrom(cpu.get(i).value().contiguous());
        }
    }

    /** Downloads the device's parameter values into the CPU model (checkpoints, the CLI). */
    void copyTo() {
        float[] all = values.toFloatArray();
        for (int i = 0; i < cpu.size(); i++) {
            Tensor v = cpu.get(i).value();
            int n = v.numel();
            float[] part = new float[n];
            System.arraycopy(all, Math.toIntExact(offsets.get(i)), part, 0, n);
            v.copyFrom(Tensor.wrap(part, v.shape()));
        }
    }

    @Override
    public void close() {
        values.close();
        gradients.close();
    }
}
