package dev.tempora.autograd;

import dev.tempora.tensor.BufferPool;
import dev.tempora.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A private set of gradient buffers for a list of parameters. While {@link #capture()} is open on a
 * thread, backward passes on that thread accumulate those parameters' gradients here instead of in
 * {@link Variable#grad()}. Data-parallel workers share one model's weights and each capture into
 * their own set; the sets are then reduced in a fixed order, so the result never depends on which
 * thread ran what.
 */
public final class GradientSet {

    private static final ThreadLocal<GradientSet> ACTIVE = new ThreadLocal<>();

    private final List<Variable> parameters;
    private final Map<Variable, Integer> index = new IdentityHashMap<>();
    private final Tensor[] gradients;
    private final boolean[] touched;

    /** Zeroed buffers, allocated outside any buffer-pool scope, for {@code parameters} in this order. */
    public GradientSet(List<Variable> parameters) {
        this.parameters = List.copyOf(parameters);
        this.gradients = new Tensor[parameters.size()];
        this.touched = new boolean[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            index.put(parameters.get(i), i);
            int[] shape = parameters.get(i).shape();
            gradients[i] = BufferPool.outsideScope(() -> Tensor.zeros(shape));
        }
    }

    /** Routes this thread's leaf gradients for these parameters here until the scope closes. */
    public GradMode.Scope capture() {
        GradientSet previous = ACTIVE.get();
        ACTIVE.set(this);
        return () -> {
            if (previous == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(previous);
            }
        };
    }

    /** Sets every buffer to zero and forgets which were touched. */
    public void zero() {
        for (int i = 0; i < gradients.length; i++) {
            if (touched[i]) {
                gradients[i].fill(0f);
                touched[i] = false;
            }
        }
    }

    /** The parameters, in the order their buffers are numbered. */
    public List<Variable> parameters() {
        return parameters;
    }

    /** The gradient buffer of parameter i (zeros if no backward reached it: a parameter the shard never used). */
    public Tensor gradient(int i) {
        return gradients[i];
    }

    /** Whether a backward reached parameter i since the last {@link #zero()}. */
    public boolean touched(int i) {
        return touched[i];
    }

    /** Called by the engine: true when the gradient went into the active set. */
    static boolean accumulateIfCaptured(Variable leaf, Tensor g) {
        GradientSet set = ACTIVE.get();
        if (set == null) {
            return false;
        }
        Integer i = set.index.get(leaf);
        if (i == null) {
            return false;
        }
        set.gradients[i].addInPlace(g.sameShape(set.gradients[i]) ? g : g.reshape(set.gradients[i].shape()));
        set.touched[i] = true;
        return true;
    }
}
