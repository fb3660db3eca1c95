package dev.tempora.tensor.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Decides, once per JVM, whether the SIMD kernels run and at which width.
 *
 * <p>Modelled on Lucene's {@code VectorizationProvider}: the incubating {@code jdk.incubator.vector}
 * module is only touched after we know it is present, so a JVM started without
 * {@code --add-modules jdk.incubator.vector} (or with C2 disabled, where the Vector API is orders of
 * magnitude slower than scalar code) falls back to the scalar reference kernels with one clear
 * warning instead of failing with {@link NoClassDefFoundError}.
 *
 * <p>The width is the platform's preferred species unless the system property
 * {@code tempora.vector.bits} forces one: {@code 128}, {@code 256}, {@code 512}, or {@code 0} /
 * {@code scalar} to force the scalar kernels. Tests use it to run every kernel at every width; a width wider
 * than the CPU's is honoured (the Vector API emulates it in Java, slowly), so every width is tested on any
 * machine.
 */
public final class VectorSupport {

    /** System property that forces a vector width in bits (or {@code scalar}). */
    public static final String BITS_PROPERTY = "tempora.vector.bits";

    /** True when the Vector API kernels are used. */
    public static final boolean ENABLED;
    /** Width of the float species in use, in bits; 0 when the scalar fallback is in use. */
    public static final int BITS;
    /** Number of float lanes per vector; 1 when scalar. */
    public static final int LANES;
    /** Why SIMD is on or off, in words, for {@code tempora info} and the fallback warning. */
    public static final String REASON;

    static {
        String forced = System.getProperty(BITS_PROPERTY, "").trim();
        String problem = null;
        int bits = 0;
        if (forced.equals("0") || forced.equalsIgnoreCase("scalar")) {
            problem = "scalar kernels forced by -D" + BITS_PROPERTY + "=" + forced;
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            problem = "the jdk.incubator.vector module is not loaded (start Java with --add-modules jdk.incubator.vector)";
        } else if (!c2Enabled()) {
            problem = "the C2 compiler is disabled (-Xint or -XX:TieredStopAtLevel<4), where the Vector API is slower than scalar code";
        } else {
            int preferred = SpeciesProbe.preferredBits();
            bits = preferred;
            if (!forced.isEmpty()) {
                int requested;
                try {
                    requested = Integer.parseInt(forced);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "-D" + BITS_PROPERTY + " must be 128, 256, 512 or scalar, got '" + forced + "'");
                }
                if (requested != 64 && requested != 128 && requested != 256 && requested != 512) {
                    throw new IllegalArgumentException(
                            "-D" + BITS_PROPERTY + " must be 128, 256, 512 or scalar, got " + requested);
                }
                // A width above the CPU's is honoured: the Vector API runs any species, the ones the CPU lacks
                // in plain Java (correct, but many times slower). Tests use it to run the 512-bit kernels on a
                // machine without AVX-512.
                if (requested > preferred) {
                    System.getLogger("dev.tempora.tensor").log(System.Logger.Level.WARNING,
                            "-D" + BITS_PROPERTY + "=" + requested + " exceeds this CPU's widest float vector ("
                                    + preferred + " bits): the kernels run emulated, much slower");
                }
                bits = requested;
            }
        }
        if (problem == null && bits < 128) {
            problem = "this CPU has no float vectors of 128 bits or more";
        }
        ENABLED = problem == null;
        BITS = ENABLED ? bits : 0;
        LANES = ENABLED ? bits / 32 : 1;
        REASON = ENABLED
                ? (forced.isEmpty() ? "preferred species of this CPU" : "width forced by -D" + BITS_PROPERTY + "=" + forced)
                : problem;
        if (ENABLED) {
            CompilerHints.install();
        }
        if (!ENABLED && !(forced.equals("0") || forced.equalsIgnoreCase("scalar"))) {
            System.getLogger("dev.tempora.tensor").log(System.Logger.Level.WARNING,
                    "Tempora SIMD kernels are off, using the scalar fallback (much slower): " + problem);
        }
    }

    private VectorSupport() {}

    /** A one-line description, e.g. {@code "SIMD on: 512-bit (16 float lanes), preferred species of this CPU"}. */
    public static String describe() {
        return ENABLED
                ? "SIMD on: " + BITS + "-bit (" + LANES + " float lanes), " + REASON
                : "SIMD off, scalar fallback: " + REASON;
    }

    private static boolean c2Enabled() {
        try {
            return c2Enabled(ManagementFactory.getRuntimeMXBean().getInputArguments());
        } catch (RuntimeException | LinkageError e) {
            // java.management is absent from some jlink'ed runtimes: assume a normal JVM.
            return true;
        }
    }

    /**
     * Whether a JVM started with {@code args} runs C2: not with -Xint, nor when the last
     * -XX:TieredStopAtLevel (the one the JVM honours: the launcher's choice can be overridden by a later one) is below 4.
     */
    static boolean c2Enabled(List<String> args) {
        boolean enabled = true;
        for (String arg : args) {
            if (arg.equals("-Xint")) {
                return false;
            }
            if (arg.startsWith("-XX:TieredStopAtLevel=")) {
                enabled = Integer.parseInt(arg.substring("-XX:TieredStopAtLevel=".length())) >= 4;
            }
        }
        return enabled;
    }

    /** Only loaded once we know the incubator module is present. */
    private static final class SpeciesProbe {
        static int preferredBits() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }
    }
}
