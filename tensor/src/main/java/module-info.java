/**
 * float32 n-dimensional tensors ({@link dev.tempora.tensor.Tensor}): broadcasting, strided views, reductions,
 * matrix products and normalisation, computed by Vector API kernels. Depends on the JDK alone.
 *
 * <p>Two packages are internals that other Tempora modules share, not API: {@code dev.tempora.tensor.kernels}
 * (the SIMD kernels, which autograd's backward passes call directly) and {@code dev.tempora.tensor.io} (JSON,
 * safetensors, atomic file writes).
 */
// "module": the qualified exports name modules that are not on the module path while this one compiles.
@SuppressWarnings("module")
module dev.tempora.tensor {
    requires jdk.incubator.vector;
    // The kernels' inlining hints go to C2 through the DiagnosticCommand MBean, without which the SIMD
    // kernels run several times slower; VectorSupport reads the JVM's flags through the runtime MXBean.
    requires java.management;

    exports dev.tempora.tensor;
    exports dev.tempora.tensor.kernels to dev.tempora.autograd, dev.tempora.models, dev.tempora.bench, dev.tempora.cli;
    exports dev.tempora.tensor.io to dev.tempora.models, dev.tempora.parallel, dev.tempora.data, dev.tempora.forecast,
            dev.tempora.bench, dev.tempora.cli, dev.tempora.spark;
}
