package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, as torch.optim. Subclasses keep per-parameter state
 * as named tensors so checkpoints can save and restore it exactly ({@link #state}, {@link #loadState}).
 */
public abstract class Optimizer {

    /** The parameters, in the order their state buffers are numbered. */
    protected final List<Variable> parameters;
    /** The learning rate of the next step. */
    protected double learningRate;
    /** The steps taken so far (the bias corrections' t after the current step). */
    protected long steps;

    /** An optimiser of {@code parameters} with a positive learning rate. */
    protected Optimizer(List<Variable> parameters, double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
    }

    /** Applies one update using each parameter's current gradient (parameters without one are skipped). */
    public final void step() {
        steps++;
        for (int i = 0; i < parameters.size(); i++) {
            Variable p = parameters.get(i);
            Tensor g = p.grad();
            if (g != null) {
                // The gradient's own storage when it is a whole array (as leaf gradients are).
                float[] values = g.isContiguous() && g.storageOffset() == 0 && g.storage().length == g.numel()
                        ? g.storage() : g.contiguous().toFloatArray();
                update(i, p.value().storage(), p.value().storageOffset(), values);
            }
        }
        afterStep();
    }

    /** Updates parameter i (its contiguous values at {@code w[offset...]}) with gradient g. */
    protected abstract void update(int i, float[] w, int offset, float[] g);

    /** Hook after all parameters were updated (Lookahead's synchronisation). */
    protected void afterStep() {
    }

    /** Sets every parameter's gradient to zero (keeping the buffers). */
    public final void zeroGrad() {
        for (Variable p : parameters) {
            p.zeroGrad();
        }
    }

    /** The learning rate of the next step. */
    public double learningRate() {
        return learningRate;
    }

    /** Sets the learning rate for the following steps (schedulers call this). */
    public void setLearningRate(double lr) {
        this.learningRate = lr;
    }

    /** The steps taken so far, including those of a loaded state. */
    public long steps() {
        return steps;
    }

    /**
     * The optimiser's state: per-parameter buffers as tensors ({@code "<kind>.<parameter index>"})
     * and scalars (step count, learning rate) as exact strings, so a resumed run continues bitwise.
     */
    public record State(Map<String, Tensor> buffers, Map<String, String> scalars) {}

    /** A copy of the state, for a checkpoint. */
    public State state() {
        Map<String, Tensor> b = new LinkedHashMap<>();
        saveBuffers(b);
        Map<String, String> sc = new LinkedHashMap<>();
        sc.put("steps", Long.toString(steps));
        sc.put("learning_rate", Double.toString(learningRate));
        return new State(b, sc);
    }

    /** Restores what {@link #state} saved; buffer sizes must match this optimiser's parameters. */
    public void loadState(State s) {
        try {
            steps = Long.parseLong(requireScalar(s, "steps"));
            learningRate = Double.parseDouble(requireScalar(s, "learning_rate"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimiser state has a malformed scalar: " + e.getMessage(), e);
        }
        loadBuffers(s.buffers());
    }

    private static String requireScalar(State s, String key) {
        String v = s.scalars().get(key);
        if (v == null) {
            throw new IllegalArgumentException("optimiser state is missing '" + key + "'");
        }
        return v;
    }

    /** Puts this optimiser's per-parameter buffers into {@code s}, as {@link #save} does. */
    protected abstract void saveBuffers(Map<String, Tensor> s);

    /** Reads back what {@link #saveBuffers} wrote, as {@link #load} does. */
    protected abstract void loadBuffers(Map<String, Tensor> s);

    /** Per-parameter buffers, zero-initialised on first use. */
    protected final float[][] buffers() {
        float[][] b = new float[parameters.size()][];
        for (int i = 0; i < b.length; i++) {
            b[i] = new float[parameters.get(i).value().numel()];
        }
        return b;
    }

    /** Puts copies of {@code buffers} into {@code s} as {@code "<kind>.<parameter index>"}. */
    protected static void save(Map<String, Tensor> s, String kind, float[][] buffers) {
        for (int i = 0; i < buffers.length; i++) {
            s.put(kind + "." + i, Tensor.of(buffers[i].clone(), buffers[i].length));
        }
    }

    /**
     * Copies {@code "<kind>.<i>"} from {@code s} into {@code buffers[i]}; a missing or wrongly sized buffer is an
     * {@link IllegalArgumentException}.
     */
    protected static void load(Map<String, Tensor> s, String kind, float[][] buffers) {
        for (int i = 0; i < buffers.length; i++) {
            Tensor t = require(s, kind + "." + i);
            if (t.numel() != buffers[i].length) {
                throw new IllegalArgumentException("optimiser state " + kind + "." + i + " has " + t.numel()
                        + " values, the parameter has " + buffers[i].length);
            }
            System.arraycopy(t.toFloatArray(), 0, buffers[i], 0, buffers[i].length);
        }
    }

    /** {@code s.get(key)}, or an {@link IllegalArgumentException} naming the missing key. */
    protected static Tensor require(Map<String, Tensor> s, String key) {
        Tensor t = s.get(key);
        if (t == null) {
            throw new IllegalArgumentException("optimiser state is missing '" + key + "'");
        }
        return t;
    }
}
