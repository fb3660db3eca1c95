package dev.tempora.tensor;

import java.util.Locale;

/**
 * Checks, before a large allocation, that the Java heap can hold it, so that a too-large setting ends in
 * a message saying how much is needed and how to give Java more, instead of an OutOfMemoryError minutes
 * later. Estimates count the main arrays only: passing the check does not promise the work fits, but
 * failing it means it cannot.
 */
public final class MemoryBudget {

    private static final long GIB = 1L << 30;

    private MemoryBudget() {}

    /**
     * Throws unless {@code bytes} more fit the heap (its maximum size less what is in use now; the garbage
     * collector is asked to run once before giving up).
     *
     * @param bytes the estimated bytes about to be allocated
     * @param what    what needs them and why so many, e.g. "the taxi generator's 10,000,000 rows"
     * @param smaller how to need less, e.g. "lower batch_size"
     * @throws IllegalArgumentException saying how much is needed, how much Java may use, and how to raise it
     */
    public static void require(long bytes, String what, String smaller) {
        Runtime runtime = Runtime.getRuntime();
        if (bytes <= available(runtime)) {
            return;
        }
        System.gc();
        long available = available(runtime);
        if (bytes <= available) {
            return;
        }
        throw new IllegalArgumentException(message(bytes, what, smaller, available, runtime.maxMemory()));
    }

    /**
     * The message {@link #require} throws, for a heap of {@code maxHeap} bytes with {@code available} free.
     *
     * @param bytes     the bytes needed
     * @param what      what needs them
     * @param smaller   how to need less
     * @param available the bytes the heap could still grow into
     * @param maxHeap   the heap's maximum size
     * @return one line: the need, the limit, and the {@code TEMPORA_JAVA_OPTS=-Xmx} to give
     */
    public static String message(long bytes, String what, String smaller, long available, long maxHeap) {
        long inUse = Math.max(0, maxHeap - available);
        // Suggest a heap with room for what is in use, the need, and a quarter more for what the estimate leaves out.
        long suggestedGib = Math.max(1, (long) Math.ceil((inUse + bytes * 1.25) / GIB));
        return String.format(Locale.ROOT, "%s need about %s, but Java may use at most %s (%s of it in use): give Java more "
                        + "with TEMPORA_JAVA_OPTS=-Xmx%dg (the machine must have that much memory), or %s",
                what, size(bytes), size(maxHeap), size(inUse), suggestedGib, smaller);
    }

    /**
     * A byte count as people read it.
     *
     * @param bytes a size in bytes
     * @return e.g. "3.2 GiB" or "512 MiB"
     */
    public static String size(long bytes) {
        if (bytes >= GIB) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
        }
        return String.format(Locale.ROOT, "%d MiB", Math.max(1, (bytes + (1 << 20) - 1) >> 20));
    }

    /**
     * Multiplies counts of elements and element sizes without overflowing (saturating at Long.MAX_VALUE).
     *
     * @param factors non-negative factors
     * @return their product, or Long.MAX_VALUE when it does not fit a long
     */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException("a size cannot be negative, got " + f);
            }
            if (f != 0 && p > Long.MAX_VALUE / f) {
                return Long.MAX_VALUE;
            }
            p *= f;
        }
        return p;
    }

    private static long available(Runtime runtime) {
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }
}
