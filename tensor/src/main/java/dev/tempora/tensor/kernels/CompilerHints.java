package dev.tempora.tensor.kernels;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Asks HotSpot to always inline the kernels' small vector helpers ({@link VectorMath}'s functions,
 * loads and combinators) into their callers, and never to inline the kernels themselves.
 *
 * <p>The Vector API is fast only when a vector never crosses a call that C2 did not inline: there it
 * becomes a heap object, and every lane operation falls back to a slow path. A helper such as
 * {@code VectorMath.exp} is too big for HotSpot's default inlining limits, so without this each call
 * would box its argument and result. The other way round, a kernel's vector loops inlined into a
 * large caller (an autograd op, a sequence loop), or several transcendentals inlined into one
 * method, push C2 past its node budget, and it boxes the vectors it could no longer fit: every other
 * method of the SIMD kernel classes is kept out of line, so each kernel loop is compiled on its own,
 * the same way whoever calls it (they take only arrays and offsets, so the call costs little). The
 * hint is a compiler directive added at run time through the
 * DiagnosticCommand MBean, the same as {@code -XX:CompileCommand=inline,...} but with no flag for
 * the user to pass. If the JVM refuses (no java.management in a jlink'ed runtime, a security
 * manager), the kernels still compute the same results, only slower.
 */
final class CompilerHints {

    // The first pattern that matches a callee decides. Vector-valued helpers are forced inline; every
    // other method of the SIMD kernel classes stays out of line (see the class comment).
    private static final String DIRECTIVE = """
            [{ match: "*.*",
               inline: ["+dev/tempora/tensor/kernels/VectorMath.*",
                        "+dev/tempora/tensor/kernels/ElementwiseVector.load",
                        "+dev/tempora/tensor/kernels/ElementwiseVector.apply",
                        "+dev/tempora/tensor/kernels/ElementwiseVector.mask",
                        "+dev/tempora/tensor/kernels/ElementwiseVector.sigmoid",
                        "+dev/tempora/tensor/kernels/ReductionVector.combine",
                        "+dev/tempora/tensor/kernels/DropoutVector.uniform",
                        "+dev/tempora/tensor/kernels/DropoutVector.mix",
                        "+dev/tempora/tensor/kernels/AttentionVector.queryIndices",
                        "+dev/tempora/tensor/kernels/LayerNormVector.overlap",
                        "-dev/tempora/tensor/kernels/AttentionVector.*",
                        "-dev/tempora/tensor/kernels/AttentionBackwardVector.*",
                        "-dev/tempora/tensor/kernels/DropoutVector.*",
                        "-dev/tempora/tensor/kernels/ElementwiseVector.*",
                        "-dev/tempora/tensor/kernels/GemmNarrowVector.*",
                        "-dev/tempora/tensor/kernels/GemmNarrowDeepVector.*",
                        "-dev/tempora/tensor/kernels/GluVector.*",
                        "-dev/tempora/tensor/kernels/LayerNormVector.*",
                        "-dev/tempora/tensor/kernels/LstmVector.*",
                        "-dev/tempora/tensor/kernels/ReductionVector.*",
                        "-dev/tempora/tensor/kernels/SoftmaxVector.*",
                        "-dev/tempora/tensor/kernels/WeightedSumVector.*"] }]
            """;

    private CompilerHints() {}

    static void install() {
        if (Boolean.getBoolean("tempora.noCompilerHints")) {
            return;
        }
        try {
            Path file = Files.createTempFile("tempora-inline", ".json");
            try {
                Files.writeString(file, DIRECTIVE);
                ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}},
                        new String[] {String[].class.getName()});
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            System.getLogger("dev.tempora.tensor").log(System.Logger.Level.INFO,
                    "could not add the kernels' inlining hints (" + e + "); SIMD kernels will run slower");
        }
    }
}
