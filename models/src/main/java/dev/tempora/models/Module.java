package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or model: named parameters and sub-modules in a hierarchy, as torch.nn.Module.
 *
 * <p>Parameter names join the path with dots, exactly as PyTorch's {@code state_dict} keys
 * ({@code lstm_encoder.weight_ih_l0}, {@code static_variable_selection.flattened_grn.fc1.weight}),
 * so checkpoints line up with PyTorch Forecasting's. A sub-module registered under two names (PTF
 * shares the post-LSTM gate between encoder and decoder) appears under both in {@link #stateDict()}
 * but is counted once in {@link #parameterCount()}, as torch does.
 */
public abstract class Module {

    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** A module in training mode, with no parameters or sub-modules until the subclass registers them. */
    protected Module() {}

    /** Registers a trainable parameter under {@code name} and returns it. */
    protected final Variable parameter(String name, Tensor initial) {
        checkName(name);
        Variable p = Variable.parameter(initial).named(name);
        parameters.put(name, p);
        return p;
    }

    /** Registers a sub-module under {@code name} and returns it. */
    protected final <M extends Module> M module(String name, M child) {
        checkName(name);
        children.put(name, child);
        child.train(training);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("bad or duplicate module member name '" + name + "'");
        }
    }

    /** Every parameter by its full dotted name, in registration order (shared modules under each name). */
    public final Map<String, Variable> stateDict() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Variable> out) {
        for (Map.Entry<String, Variable> e : parameters.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out);
        }
    }

    /** The distinct parameters, in state-dict order (what an optimiser updates). */
    public final List<Variable> parameters() {
        IdentityHashMap<Variable, Boolean> seen = new IdentityHashMap<>();
        List<Variable> out = new ArrayList<>();
        for (Variable v : stateDict().values()) {
            if (seen.put(v, Boolean.TRUE) == null) {
                out.add(v);
            }
        }
        return out;
    }

    /** Distinct parameters with their first full name, in state-dict order. */
    public final Map<String, Variable> namedParameters() {
        IdentityHashMap<Variable, Boolean> seen = new IdentityHashMap<>();
        Map<String, Variable> out = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : stateDict().entrySet()) {
            if (seen.put(e.getValue(), Boolean.TRUE) == null) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Number of trainable scalars, each shared parameter counted once. */
    public final long parameterCount() {
        long n = 0;
        for (Variable v : parameters()) {
            n += v.value().numel();
        }
        return n;
    }

    /** Direct sub-modules by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Sets training mode (dropout active) on this module and every sub-module. Returns nothing, so that a
     * module that is also a {@link ForecastingModel} implements that interface's {@code train()} and
     * {@code eval()} with these.
     *
     * @param on true for training mode, false for evaluation mode
     */
    public final void train(boolean on) {
        training = on;
        for (Module m : children.values()) {
            m.train(on);
        }
    }

    /** Training mode: dropout on (torch's {@code model.train()}). */
    public final void train() {
        train(true);
    }

    /** Evaluation mode: dropout off. */
    public final void eval() {
        train(false);
    }

    /** Whether the module is in training mode (dropout on). */
    public final boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's gradient, keeping the buffers. */
    public final void zeroGrad() {
        for (Variable v : parameters()) {
            v.zeroGrad();
        }
    }

    /** A one-line description of this module's own configuration, e.g. {@code Linear(20 -> 80)}. */
    protected String describe() {
        return getClass().getSimpleName();
    }

    /** The module tree with each module's own parameter count, as torch's repr with counts. */
    public final String summary() {
        StringBuilder sb = new StringBuilder();
        summarise(sb, "", describe(), 0, new IdentityHashMap<>());
        sb.append(String.format("Total parameters: %,d%n", parameterCount()));
        return sb.toString();
    }

    private void summarise(StringBuilder sb, String name, String title, int depth, IdentityHashMap<Module, String> seen) {
        String indent = "  ".repeat(depth);
        String previous = seen.putIfAbsent(this, name);
        long count = previous == null ? subtreeCount(new IdentityHashMap<>()) : 0;
        sb.append(indent).append(name.isEmpty() ? "" : name + ": ").append(title);
        if (previous != null) {
            sb.append("  (shared with ").append(previous).append(")\n");
            return;
        }
        sb.append(String.format("  [%,d]%n", count));
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().summarise(sb, e.getKey(), e.getValue().describe(), depth + 1, seen);
        }
    }

    private long subtreeCount(IdentityHashMap<Variable, Boolean> seen) {
        long n = 0;
        for (Variable v : parameters.values()) {
            if (seen.put(v, Boolean.TRUE) == null) {
                n += v.value().numel();
            }
        }
        for (Module m : children.values()) {
            n += m.subtreeCount(seen);
        }
        return n;
    }
}
