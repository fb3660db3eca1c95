/**
 * The CUDA backend: Tempora's own kernels (PTX), device tensors, device autograd and the TFT training step
 * on an NVIDIA GPU, through JCuda's binding of the CUDA driver API. Nothing depends on this module: it
 * provides a {@link dev.tempora.parallel.Accelerator} that the engine finds at run time. On the module path,
 * run with {@code --enable-native-access=dev.tempora.gpu,jcuda} (JCuda's driver binding is native code).
 */
// "requires-automatic": JCuda ships no module descriptor, so jcuda is the name derived from its jar.
@SuppressWarnings("requires-automatic")
module dev.tempora.gpu {
    requires dev.tempora.parallel;
    requires jcuda;

    provides dev.tempora.parallel.Accelerator with dev.tempora.gpu.CudaAccelerator;
}
