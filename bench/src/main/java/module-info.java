/**
 * JMH benchmarks (GEMM, an MLP step, the TFT training step, forecast serving) and the timing harness that the
 * command line's {@code bench} command and the GPU device check compare against.
 */
// "requires-automatic": JMH ships no module descriptor, so jmh.core is the name derived from its jar.
@SuppressWarnings("requires-automatic")
module dev.tempora.bench {
    // Its API takes and returns the engine's types (TftConfig, TrainingBatch) and the library's (TrainedModel).
    requires transitive dev.tempora.forecast;
    requires jmh.core;
    requires jdk.management; // per-thread CPU time and the machine's load, for the timing harness's report

    exports dev.tempora.bench;
}
