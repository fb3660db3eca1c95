/**
 * The Temporal Fusion Transformer and N-HiTS as PyTorch Forecasting builds them, their layers, the quantile
 * loss, metrics, optimisers (Adam, AdamW, Ranger) and checkpoints, and a quantile booster of regression trees
 * (QuantileBoosting). Depends on the JDK alone.
 */
module dev.tempora.models {
    requires transitive dev.tempora.autograd;

    exports dev.tempora.models;
}
