package dev.tempora.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    private final Buckets free = new Buckets();
    private long pooledFloats;

    /** An empty pool: arrays join it when the scopes that took them close. */
    public BufferPool() {}

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

    /**
     * Free arrays by length: an open-addressing table keyed by the int length, so that looking a
     * size up does not box it (a {@code HashMap<Integer, ...>} allocates an Integer per lookup above 127).
     */
    private static final class Buckets {
        private int[] keys = new int[64];
        private ArrayDeque<float[]>[] values = newArray(64);
        private int size;

        @SuppressWarnings("unchecked")
        private static ArrayDeque<float[]>[] newArray(int n) {
            return (ArrayDeque<float[]>[]) new ArrayDeque<?>[n];
        }

        private static int slot(int key, int mask) {
            return (key * 0x9E3779B9 >>> 7) & mask;
        }

        ArrayDeque<float[]> find(int length) {
            int mask = keys.length - 1;
            for (int i = slot(length, mask); values[i] != null; i = (i + 1) & mask) {
                if (keys[i] == length) {
                    return values[i];
                }
            }
            return null;
        }

        ArrayDeque<float[]> bucket(int length) {
            ArrayDeque<float[]> found = find(length);
            if (found != null) {
                return found;
            }
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            ArrayDeque<float[]> created = new ArrayDeque<>();
            put(length, created);
            return created;
        }

        private void put(int length, ArrayDeque<float[]> bucket) {
            int mask = keys.length - 1;
            int i = slot(length, mask);
            while (values[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = length;
            values[i] = bucket;
            size++;
        }

        private void grow() {
            int[] oldKeys = keys;
            ArrayDeque<float[]>[] oldValues = values;
            keys = new int[oldKeys.length * 2];
            values = newArray(oldKeys.length * 2);
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != null) {
                    put(oldKeys[i], oldValues[i]);
                }
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
            ArrayDeque<float[]> bucket = pool.free.find(n);
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
                pool.free.bucket(a.length).addLast(a);
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
