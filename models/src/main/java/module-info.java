/**
 * The Temporal Fusion Transformer as PyTorch Forecasting builds it, its layers, the quantile loss, metrics,
 * optimisers (Adam, AdamW, Ranger) and checkpoints. Depends on the JDK alone.
 */
module dev.tempora.models {
    requires transitive dev.tempora.autograd;

    exports dev.tempora.models;
}
