package dev.tempora.autograd;

/**
 * Whether ops record the graph on this thread. Inference runs under {@link #noGrad()}:
 * <pre>{@code try (var off = GradMode.noGrad()) { prediction = model.forward(batch); } }</pre>
 */
public final class GradMode {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    /** Whether ops on this thread record the graph now (true unless inside {@link #noGrad()}). */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off until the returned scope closes (scopes nest and restore the previous mode). */
    public static Scope noGrad() {
        return set(false);
    }

    /** Turns recording on until the returned scope closes. */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return () -> flag[0] = previous;
    }

    /** Restores the previous mode on close. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
