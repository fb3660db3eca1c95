package dev.tempora.parallel.distributed;

import dev.tempora.autograd.Variable;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.GradientClipping;
import dev.tempora.models.Optimizer;
import dev.tempora.parallel.DataParallelEngine;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingBackend;
import dev.tempora.parallel.TrainingBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * One rank's {@link TrainingBackend}: its {@link DataParallelEngine} computes the rank's shards of the
 * global batch (rank r of N owns shards [r·S/N, (r+1)·S/N) of S), the {@link RingCollective} sums the
 * gradients and losses of all shards in shard order, and every rank then clips and steps the same
 * optimiser on the same total, so the weights stay identical across ranks and equal to one process's.
 */
final class DistributedBackend implements TrainingBackend {

    private final RingCollective collective;
    private final DataParallelEngine engine;
    private final List<Variable> parameters;
    private final Optimizer optimizer;
    private final int firstShard;
    private final int localShards;
    private final float[] gradients;

    DistributedBackend(RingCollective collective, ForecastingModel model, Optimizer optimizer,
                       TrainerSettings settings) {
        if (!settings.device().equals("cpu")) {
            throw new IllegalArgumentException("distributed training runs on the CPU engine; device '" + settings.device()
                    + "' is not supported there (use device cpu)");
        }
        int ranks = collective.size();
        if (settings.shards() % ranks != 0) {
            throw new IllegalArgumentException(settings.shards() + " shards do not split evenly over " + ranks
                    + " ranks: use a shard count that is a multiple of the rank count (e.g. 8 for 2, 4 or 8 ranks)");
        }
        this.collective = collective;
        this.engine = new DataParallelEngine(model, settings.workers(), settings.shards());
        this.parameters = model.parameters();
        this.optimizer = optimizer;
        this.localShards = settings.shards() / ranks;
        this.firstShard = collective.rank() * localShards;
        this.gradients = new float[engine.gradientLength()];
        checkRanksAgree(settings);
    }

    /** Fails on every rank when the ranks were given different models or settings: they would silently diverge. */
    private void checkRanksAgree(TrainerSettings settings) {
        long fingerprint = Arrays.hashCode(new long[] {
            settings.seed(), settings.shards(), settings.maxEpochs(), Double.doubleToLongBits(settings.limitTrainBatches()),
            settings.limitTrainBatchCount(), Double.doubleToLongBits(settings.gradientClipVal()), settings.optimizer().hashCode(),
            Double.doubleToLongBits(settings.learningRate()), Double.doubleToLongBits(settings.weightDecay()),
            settings.reduceOnPlateauPatience(), Double.doubleToLongBits(settings.reduceOnPlateauFactor()),
            Double.doubleToLongBits(settings.reduceOnPlateauMinLr()), settings.earlyStoppingPatience(),
            Double.doubleToLongBits(settings.earlyStoppingMinDelta()), settings.skipNonFiniteBatches() ? 1 : 0});
        long[] agreed = call(() -> collective.allReduce(new long[] {fingerprint, fingerprint, gradients.length, gradients.length},
                RingCollective.Reduction.MIN, RingCollective.Reduction.MAX, RingCollective.Reduction.MIN,
                RingCollective.Reduction.MAX));
        if (agreed[2] != agreed[3]) {
            throw new IllegalArgumentException("the ranks train different models: between " + agreed[2] + " and " + agreed[3]
                    + " parameters (this rank: " + gradients.length + "); every rank needs the same model configuration");
        }
        if (agreed[0] != agreed[1]) {
            throw new IllegalArgumentException("the ranks were given different training settings (seed, shards, epochs, batch"
                    + " limits, optimiser, learning rate, weight decay, clipping, plateau, early stopping or skipping); only"
                    + " the output directory, the checkpoint interval and the workers may differ between ranks");
        }
    }

    @Override
    public Step computeGradients(TrainingBatch batch, long seed, double maxNorm) {
        long[] agreed = call(() -> collective.allReduce(new long[] {batch.validSteps(), batch.size(), batch.size(), seed, seed},
                RingCollective.Reduction.SUM, RingCollective.Reduction.MIN, RingCollective.Reduction.MAX,
                RingCollective.Reduction.MIN, RingCollective.Reduction.MAX));
        if (agreed[1] != agreed[2]) {
            throw new IllegalArgumentException("rank " + collective.rank() + " has a batch of " + batch.size()
                    + " samples, but the ranks' batches range from " + agreed[1] + " to " + agreed[2] + " samples: every rank"
                    + " needs the same batch size (the global batch is " + collective.size() + " equal parts)");
        }
        if (agreed[3] != agreed[4]) {
            throw new IllegalStateException("the ranks are at different steps (their dropout seeds differ): every rank must"
                    + " run the same epochs and batches, from the same resumed state");
        }
        double[] losses = engine.computeShards(batch, seed, firstShard, localShards, agreed[0]);
        double loss = call(() -> collective.orderedSum(gradients, new RingCollective.Terms() {
            @Override
            public void addTo(float[] partial, int from, int to) {
                engine.addShardGradients(firstShard, localShards, partial, from, to);
            }

            @Override
            public double addTo(double partial) {
                double sum = partial;
                for (double l : losses) {
                    sum += l;
                }
                return sum;
            }
        }));
        engine.setGradients(gradients);
        double norm = GradientClipping.clipByGlobalNorm(parameters, maxNorm);
        return new Step(loss, norm);
    }

    @Override
    public void applyUpdate() {
        optimizer.step();
    }

    @Override
    public double validationLoss(List<TrainingBatch> batches) {
        long local = 0;
        for (TrainingBatch b : batches) {
            local += b.validSteps();
        }
        long localSteps = local;
        long validSteps = call(() -> collective.sum(localSteps));
        if (validSteps == 0) {
            throw new IllegalArgumentException("the validation set has no valid decoder step on any rank");
        }
        double[] terms = engine.validationShardLosses(batches, validSteps);
        return call(() -> collective.orderedSum(terms));
    }

    @Override
    public void copyToHost() {
        // the weights live in the CPU model already
    }

    @Override
    public void copyFromHost() {
        // the weights live in the CPU model already
    }

    @FunctionalInterface
    private interface Collective<T> {
        T run() throws IOException;
    }

    /** Runs a collective operation for the trainer, which takes no checked exceptions. */
    private <T> T call(Collective<T> operation) {
        try {
            return operation.run();
        } catch (IOException e) {
            throw new UncheckedIOException("rank " + collective.rank() + ": " + e.getMessage(), e);
        }
    }
}
