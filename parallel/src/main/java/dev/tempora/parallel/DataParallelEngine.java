package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.GradientSet;
import dev.tempora.autograd.Variable;
import dev.tempora.models.DropoutSeeds;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftOutput;
import dev.tempora.tensor.BufferPool;
import dev.tempora.tensor.Tensor;

import java.util.List;

/**
 * Data-parallel training steps on the one shared ForkJoinPool, with results that do not depend on
 * the number of workers.
 *
 * <p>Every batch is cut into a fixed number of shards (by default 8), independent of the worker
 * count. Worker w runs shards w, w + W, w + 2W, ... one after another, each on the shared weights
 * with its own autograd tape, dropout seed, buffer pool and {@link GradientSet}; kernels inside a
 * shard run serially, so the parallelism is spent once. Then the shards' gradients are summed in
 * shard order into the parameters' {@code grad}. Since the shards, their seeds and the summation
 * order never change, 1, 2, 4 or 8 workers produce bitwise identical gradients, and a parameter no
 * shard used simply gets a zero gradient.
 */
public final class DataParallelEngine {

    private final TemporalFusionTransformer model;
    private final QuantileLoss loss;
    private final int workers;
    private final int shards;
    private final List<Variable> parameters;
    private final GradientSet[] gradientSets;
    private final BufferPool[] pools;

    public DataParallelEngine(TemporalFusionTransformer model, QuantileLoss loss, int workers, int shards) {
        Shards.check(workers, shards);
        this.model = model;
        this.loss = loss;
        this.workers = workers;
        this.shards = shards;
        this.parameters = model.parameters();
        this.gradientSets = new GradientSet[shards];
        this.pools = new BufferPool[shards];
        for (int s = 0; s < shards; s++) {
            gradientSets[s] = new GradientSet(parameters);
            pools[s] = new BufferPool();
        }
    }

    /** The default worker count of training, predict and evaluate: one per core, at most 8. */
    public static int defaultWorkers() {
        return Math.min(8, Runtime.getRuntime().availableProcessors());
    }

    public int workers() {
        return workers;
    }

    public int shards() {
        return shards;
    }

    /**
     * Forward and backward of one batch; afterwards every parameter's {@code grad} holds the batch's
     * gradient (its previous content is replaced).
     *
     * @param seed the step's dropout seed; shard s uses a seed derived from it and s
     * @return the batch's loss
     */
    public double trainStep(TrainingBatch batch, long seed) {
        model.train();
        long validSteps = batch.validSteps();
        double[] shardLoss = new double[shards];
        int n = batch.size();
        Shards.run(workers, shards, n, (shard, from, to) -> {
            GradientSet gradients = gradientSets[shard];
            gradients.zero();
            if (from == to) {
                return;
            }
            try (BufferPool.Scope scope = pools[shard].open();
                 DropoutSeeds.Scope seeds = DropoutSeeds.open(DropoutSeeds.mix(seed * 31 + shard));
                 GradMode.Scope capture = gradients.capture()) {
                TrainingBatch part = batch.shard(from, to);
                TftOutput out = model.forward(part.inputs(), false);
                Variable l = loss.forward(out.prediction(), part.target(), part.inputs().decoderLengths(), validSteps);
                shardLoss[shard] = l.item();
                l.backward();
            }
        });
        // Sum the shards in shard order: the same additions whatever the worker count.
        for (int i = 0; i < parameters.size(); i++) {
            Variable p = parameters.get(i);
            Tensor total = p.grad();
            if (total == null) {
                total = BufferPool.outsideScope(() -> Tensor.zeros(p.shape()));
                p.setGrad(total);
            } else {
                total.fill(0f);
            }
            for (int s = 0; s < shards; s++) {
                if (gradientSets[s].touched(i)) {
                    total.addInPlace(gradientSets[s].gradient(i));
                }
            }
        }
        double sum = 0;
        for (double l : shardLoss) {
            sum += l;
        }
        return sum;
    }

    /** Quantile loss and per-sample predictions over validation batches, in eval mode without a tape. */
    public double validationLoss(List<TrainingBatch> batches) {
        model.eval();
        long validSteps = 0;
        for (TrainingBatch b : batches) {
            validSteps += b.validSteps();
        }
        if (validSteps == 0) {
            throw new IllegalArgumentException("the validation set has no valid decoder step");
        }
        long total = validSteps;
        double sum = 0;
        for (TrainingBatch batch : batches) {
            double[] shardLoss = new double[shards];
            int n = batch.size();
            Shards.run(workers, shards, n, (shard, from, to) -> {
                if (from == to) {
                    return;
                }
                try (BufferPool.Scope scope = pools[shard].open(); GradMode.Scope off = GradMode.noGrad()) {
                    TrainingBatch part = batch.shard(from, to);
                    TftOutput out = model.forward(part.inputs(), false);
                    shardLoss[shard] = loss.forward(out.prediction(), part.target(), part.inputs().decoderLengths(), total)
                            .item();
                }
            });
            for (double l : shardLoss) {
                sum += l;
            }
        }
        return sum;
    }
}
