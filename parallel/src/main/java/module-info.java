/**
 * Training and inference: the {@link dev.tempora.parallel.Trainer} loop, data-parallel training and inference
 * on the CPU's cores and across processes ({@code dev.tempora.parallel.distributed}), and the
 * {@link dev.tempora.parallel.Accelerator} service through which a device backend (the {@code dev.tempora.gpu}
 * module) is found at run time. Depends on the JDK alone.
 */
module dev.tempora.parallel {
    requires transitive dev.tempora.models;

    exports dev.tempora.parallel;
    exports dev.tempora.parallel.distributed;

    uses dev.tempora.parallel.Accelerator;
}
