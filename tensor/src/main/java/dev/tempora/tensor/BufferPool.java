package dev.tempora.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recycles the float arrays behind tensors across training steps, so a steady-state step allocates
 * almost nothing (the JVM would otherwise zero, and here page-fault, hundreds of megabytes a step).
 *
 * <p>A pool belongs to one thread at a time. Inside {@code try (var scope = pool.open()) {...}},
 * every tensor the thread creates takes its array from the pool; closing the scope hands them all
 * back. Tensors created inside a scope must not be used after it closes: copy what must survive
 * with {@link Tensor#persistentCopy()} (a scalar loss is simply read with {@link Tensor#item()}).
 * Outside any scope, tensors are ordinary garbage-collected arrays.
 *
 * <pre>{@code
 * BufferPool pool = new BufferPool();
 * for (Batch batch : batches) {
 *     try (BufferPool.Scope scope = pool.open()) {
 *         float loss = trainStep(batch);   // activations and gradients come from the pool
 *     }
 * }
 * }</pre>
 */
public final class BufferPool {

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long pooledFloats;

    /** Opens a scope on the calling thread; scopes nest, the innermost one receives allocations. */
    public Scope open() {
        Scope scope = new Scope(this, CURRENT.get(), Thread.currentThread());
        CURRENT.set(scope);
        return scope;
    }

    /** Floats held by the pool and by open scopes, for diagnostics. */
    public long pooledFloats() {
        return pooledFloats;
    }

    /** An array of n floats with unspecified contents. */
    static float[] allocate(int n) {
        Scope scope = CURRENT.get();
        return scope == null ? new float[n] : scope.take(n);
    }

    /** An array of n zeros. */
    static float[] allocateZeroed(int n) {
        Scope scope = CURRENT.get();
        if (scope == null) {
            return new float[n];
        }
        float[] a = scope.take(n);
        Arrays.fill(a, 0f);
        return a;
    }

    /** Runs {@code body} with no scope active, so what it creates is garbage-collected as usual. */
    public static <T> T outsideScope(java.util.function.Supplier<T> body) {
        Scope saved = CURRENT.get();
        CURRENT.remove();
        try {
            return body.get();
        } finally {
            if (saved != null) {
                CURRENT.set(saved);
            }
        }
    }

    /** The arrays handed out while open return to the pool on {@link #close()}. */
    public static final class Scope implements AutoCloseable {
        private final BufferPool pool;
        private final Scope parent;
        private final Thread owner;
        private final List<float[]> taken = new ArrayList<>();
        private boolean closed;

        private Scope(BufferPool pool, Scope parent, Thread owner) {
            this.pool = pool;
            this.parent = parent;
            this.owner = owner;
        }

        private float[] take(int n) {
            ArrayDeque<float[]> bucket = pool.free.get(n);
            float[] a = bucket == null ? null : bucket.pollLast();
            if (a == null) {
                a = new float[n];
                pool.pooledFloats += n;
            }
            taken.add(a);
            return a;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a BufferPool scope must be closed by the thread that opened it");
            }
            if (CURRENT.get() != this) {
                throw new IllegalStateException("BufferPool scopes must close innermost first");
            }
            closed = true;
            for (float[] a : taken) {
                pool.free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
            }
            taken.clear();
            if (parent == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(parent);
            }
        }
    }
}
