package dev.tempora.parallel;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to train, with PyTorch Forecasting's / Lightning's names and defaults where they exist.
 *
 * @param maxEpochs              epochs to run (early stopping may end sooner)
 * @param limitTrainBatches      the fraction of each epoch's batches to run, in (0, 1] (Lightning's
 *                               limit_train_batches given as a float); 1.0 for all
 * @param limitTrainBatchCount   a number of batches per epoch instead (Lightning's limit_train_batches
 *                               given as an integer); 0 to use the fraction
 * @param gradientClipVal        clip the global gradient norm to this (0 = off); the seed used 0.1
 * @param optimizer              "ranger", "adam" or "adamw"
 * @param learningRate           initial learning rate
 * @param weightDecay            L2 (adam, ranger) or decoupled (adamw) weight decay
 * @param reduceOnPlateauPatience epochs without improvement before the lr is reduced (0 = off)
 * @param reduceOnPlateauFactor  lr factor on a plateau (PTF: 0.2 in older versions, 0.5 now)
 * @param reduceOnPlateauMinLr   lower bound of the lr
 * @param earlyStoppingPatience  validations without improvement before stopping (0 = off)
 * @param earlyStoppingMinDelta  improvement smaller than this does not count
 * @param workers                data-parallel workers
 * @param shards                 fixed shards per batch (results do not depend on workers)
 * @param seed                   dropout seed base
 * @param skipNonFiniteBatches   skip a batch whose loss or gradients are NaN/∞ (with a warning) instead of stopping
 * @param outputDir              where model.*, metrics.csv and last-state files go (null: nowhere)
 * @param checkpointEveryBatches also save the last state every this many batches (0 = at epoch ends only)
 * @param checkpointSections     extra JSON sections stored in model.json (dataset description, config)
 * @param device                 where steps run: {@code cpu} (the default) or an {@link Accelerator}'s name
 * @param lossScale              the scale the training and validation losses are taken on (early stopping
 *                               follows the validation loss on the same scale)
 */
public record TrainerSettings(
        int maxEpochs,
        double limitTrainBatches,
        int limitTrainBatchCount,
        double gradientClipVal,
        String optimizer,
        double learningRate,
        double weightDecay,
        int reduceOnPlateauPatience,
        double reduceOnPlateauFactor,
        double reduceOnPlateauMinLr,
        int earlyStoppingPatience,
        double earlyStoppingMinDelta,
        int workers,
        int shards,
        long seed,
        boolean skipNonFiniteBatches,
        Path outputDir,
        int checkpointEveryBatches,
        Map<String, Object> checkpointSections,
        String device,
        LossScale lossScale) {

    /**
     * Checks every setting; a bad one is an {@link IllegalArgumentException} naming it under Lightning's or PTF's
     * name.
     */
    public TrainerSettings {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("max_epochs must be at least 1, got " + maxEpochs);
        }
        if (!(limitTrainBatches > 0 && limitTrainBatches <= 1)) {
            throw new IllegalArgumentException("limit_train_batches as a fraction must be in (0, 1], got " + limitTrainBatches);
        }
        if (limitTrainBatchCount < 0) {
            throw new IllegalArgumentException("limit_train_batches as a count must be positive, got " + limitTrainBatchCount);
        }
        atLeastZero("gradient_clip_val", gradientClipVal, "the largest gradient norm; 0 turns clipping off");
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning_rate must be a positive number, got " + learningRate);
        }
        atLeastZero("weight_decay", weightDecay, "0 for none");
        atLeastZero("reduce_on_plateau_patience", reduceOnPlateauPatience, "epochs without improvement; 0 turns it off");
        if (!(reduceOnPlateauFactor > 0 && reduceOnPlateauFactor < 1)) {
            throw new IllegalArgumentException("reduce_on_plateau_factor must be between 0 and 1 (the learning rate is "
                    + "multiplied by it on a plateau), got " + reduceOnPlateauFactor);
        }
        atLeastZero("reduce_on_plateau_min_lr", reduceOnPlateauMinLr, "the lowest learning rate");
        atLeastZero("early_stopping_patience", earlyStoppingPatience, "epochs without improvement; 0 turns it off");
        atLeastZero("early_stopping_min_delta", earlyStoppingMinDelta, "the smallest improvement that counts");
        atLeastZero("checkpoint_every_batches", checkpointEveryBatches, "0 saves at epoch ends only");
        switch (optimizer) {
            case "ranger", "adam", "adamw" -> { }
            default -> throw new IllegalArgumentException("unknown optimizer '" + optimizer + "' (ranger, adam or adamw)");
        }
        // Kept in order (Map.copyOf would lose it), and a map without an order of its own sorted by key:
        // model.json must have the same bytes in every JVM.
        checkpointSections = checkpointSections == null ? Map.of()
                : java.util.Collections.unmodifiableSequencedMap(checkpointSections instanceof java.util.SequencedMap<String, Object>
                        ? new java.util.LinkedHashMap<>(checkpointSections) : new java.util.TreeMap<>(checkpointSections));
        device = device == null ? "cpu" : device;
        lossScale = lossScale == null ? Builder.DEFAULT_LOSS_SCALE : lossScale;
    }

    private static void atLeastZero(String key, double value, String meaning) {
        if (!(value >= 0 && Double.isFinite(value))) {
            String shown = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
            throw new IllegalArgumentException(key + " must be 0 or more (" + meaning + "), got " + shown);
        }
    }

    /** A builder starting from PTF's seed set-up defaults (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxEpochs = maxEpochs;
        b.limitTrainBatches = limitTrainBatches;
        b.limitTrainBatchCount = limitTrainBatchCount;
        b.gradientClipVal = gradientClipVal;
        b.optimizer = optimizer;
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.reduceOnPlateauPatience = reduceOnPlateauPatience;
        b.reduceOnPlateauFactor = reduceOnPlateauFactor;
        b.reduceOnPlateauMinLr = reduceOnPlateauMinLr;
        b.earlyStoppingPatience = earlyStoppingPatience;
        b.earlyStoppingMinDelta = earlyStoppingMinDelta;
        b.workers = workers;
        b.shards = shards;
        b.seed = seed;
        b.skipNonFiniteBatches = skipNonFiniteBatches;
        b.outputDir = outputDir;
        b.checkpointEveryBatches = checkpointEveryBatches;
        b.checkpointSections = checkpointSections;
        b.device = device;
        b.lossScale = lossScale;
        return b;
    }

    /**
     * Defaults: 30 epochs, all batches, clip 0.1, Ranger with lr 0.03, ReduceLROnPlateau patience 4
     * (factor 0.2, min lr 1e-5), early stopping patience 10 / min delta 1e-4, one worker per core,
     * 8 shards, seed 42, the loss in target units.
     */
    public static final class Builder {
        private int maxEpochs = 30;
        private double limitTrainBatches = 1.0;
        private int limitTrainBatchCount;
        private double gradientClipVal = 0.1;
        private String optimizer = "ranger";
        private double learningRate = 0.03;
        private double weightDecay;
        private int reduceOnPlateauPatience = 4;
        private double reduceOnPlateauFactor = 0.2;
        private double reduceOnPlateauMinLr = 1e-5;
        private int earlyStoppingPatience = 10;
        private double earlyStoppingMinDelta = 1e-4;
        private int workers = DataParallelEngine.defaultWorkers();
        private int shards = 8;
        private long seed = 42;
        private boolean skipNonFiniteBatches;
        private Path outputDir;
        private int checkpointEveryBatches;
        private Map<String, Object> checkpointSections = Map.of();
        private String device = "cpu";
        private LossScale lossScale = DEFAULT_LOSS_SCALE;

        /**
         * The loss scale of a builder that is not told one: PTF's. On M4 Weekly the normalised scale did not win
         * clearly (scripts/README.md, "Loss scale on M4 Weekly").
         */
        static final LossScale DEFAULT_LOSS_SCALE = LossScale.TARGET;

        private Builder() {}

        /** Epochs to run. */
        public Builder maxEpochs(int v) { maxEpochs = v; return this; }
        /** A fraction of each epoch, in (0, 1]. */
        public Builder limitTrainBatches(double fraction) { limitTrainBatches = fraction; limitTrainBatchCount = 0; return this; }
        /** A number of batches per epoch. */
        public Builder limitTrainBatchCount(int count) { limitTrainBatchCount = count; limitTrainBatches = 1.0; return this; }
        /** The global gradient norm to clip to (0 = off). */
        public Builder gradientClipVal(double v) { gradientClipVal = v; return this; }
        /** "ranger", "adam" or "adamw". */
        public Builder optimizer(String v) { optimizer = v; return this; }
        /** The initial learning rate. */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /** L2 (adam, ranger) or decoupled (adamw) weight decay. */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /** ReduceLROnPlateau's patience (0 = off), factor and minimum learning rate. */
        public Builder reduceOnPlateau(int patience, double factor, double minLr) {
            reduceOnPlateauPatience = patience;
            reduceOnPlateauFactor = factor;
            reduceOnPlateauMinLr = minLr;
            return this;
        }
        /** Validations without an improvement of at least {@code minDelta} before stopping (patience 0 = off). */
        public Builder earlyStopping(int patience, double minDelta) {
            earlyStoppingPatience = patience;
            earlyStoppingMinDelta = minDelta;
            return this;
        }
        /** Workers; the shard count grows to match if needed (it never shrinks, to keep results comparable). */
        public Builder workers(int v) { workers = v; shards = Math.max(shards, v); return this; }
        /** Shards per batch, fixed so that results do not depend on the number of workers. */
        public Builder shards(int v) { shards = v; return this; }
        /** The dropout seed base. */
        public Builder seed(long v) { seed = v; return this; }
        /**
         * Whether a batch with a non-finite loss or gradient is skipped with a warning rather than stopping
         * training.
         */
        public Builder skipNonFiniteBatches(boolean v) { skipNonFiniteBatches = v; return this; }
        /** Where model files, metrics.csv and the last state go (null: nowhere). */
        public Builder outputDir(Path v) { outputDir = v; return this; }
        /** Also save the last state every this many batches (0 = at epoch ends only). */
        public Builder checkpointEveryBatches(int v) { checkpointEveryBatches = v; return this; }
        /** Extra JSON sections stored in model.json (dataset description, config). */
        public Builder checkpointSections(Map<String, Object> v) { checkpointSections = v; return this; }
        /** {@code cpu}, or the name of an installed {@link Accelerator} ({@code cuda}). */
        public Builder device(String v) { device = v; return this; }

        /** The scale the losses are taken on (default {@link LossScale#TARGET}, PTF's). */
        public Builder lossScale(LossScale v) { lossScale = java.util.Objects.requireNonNull(v, "loss scale"); return this; }

        /** The settings, checked as the record's constructor checks them. */
        public TrainerSettings build() {
            return new TrainerSettings(maxEpochs, limitTrainBatches, limitTrainBatchCount, gradientClipVal, optimizer, learningRate,
                    weightDecay, reduceOnPlateauPatience, reduceOnPlateauFactor, reduceOnPlateauMinLr,
                    earlyStoppingPatience, earlyStoppingMinDelta, workers, shards, seed, skipNonFiniteBatches,
                    outputDir, checkpointEveryBatches, checkpointSections, device, lossScale);
        }
    }

    /** Batches to run per epoch out of {@code available}. */
    public int batchesPerEpoch(int available) {
        if (limitTrainBatchCount > 0) {
            return Math.min(available, limitTrainBatchCount);
        }
        return Math.max(available == 0 ? 0 : 1, (int) (available * limitTrainBatches));
    }
}
