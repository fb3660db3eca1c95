package dev.tempora.models;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where dropout masks come from. A training step opens a scope with a base seed; every dropout
 * call inside it, in program order, takes the next seed of that scope's stream. Masks then depend
 * only on the base seed (derived from the run seed, the step and the shard) and never on thread
 * timing, so training is reproducible and data-parallel runs match serial ones.
 *
 * <pre>{@code try (var seeds = DropoutSeeds.open(stepSeed)) { loss = model.forward(batch)...; } }</pre>
 */
public final class DropoutSeeds {

    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();
    /** Outside any scope (ad-hoc use), seeds still differ call to call. */
    private static final AtomicLong FALLBACK = new AtomicLong(0x5DEECE66DL);

    private DropoutSeeds() {}

    /** Opens a scope on this thread; the previous one is restored on close. */
    public static Scope open(long baseSeed) {
        long[] previous = CURRENT.get();
        CURRENT.set(new long[] {baseSeed, 0});
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** The next dropout seed on this thread. */
    public static long next() {
        long[] s = CURRENT.get();
        if (s == null) {
            return mix(FALLBACK.incrementAndGet());
        }
        return mix(s[0] * 0x9E3779B97F4A7C15L + (++s[1]));
    }

    /** Combines seeds (SplitMix64's finaliser); used to derive per-step and per-shard seeds. */
    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Restores the previous scope on close. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
