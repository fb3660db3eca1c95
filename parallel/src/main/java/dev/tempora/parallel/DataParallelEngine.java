package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.GradientSet;
import dev.tempora.autograd.Variable;
import dev.tempora.models.DropoutSeeds;
import dev.tempora.models.ForecastingModel;
import dev.tempora.tensor.BufferPool;
import dev.tempora.tensor.Tensor;

import java.util.List;

/**
 * Data-parallel training steps of a {@link ForecastingModel} under its own
 * {@linkplain ForecastingModel#loss loss}, on the one shared ForkJoinPool, with results that do not
 * depend on the number of workers.
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

    private final ForecastingModel model;
    private final int workers;
    private final int shards;
    private final List<Variable> parameters;
    private final GradientSet[] gradientSets;
    private final BufferPool[] pools;

    /**
     * An engine for {@code model}'s training steps.
     *
     * @param model   the model, whose weights the steps share and whose gradients they fill
     * @param workers how many shards run at once (1 to {@code shards})
     * @param shards  how many shards every batch is cut into, whatever the workers
     * @throws IllegalArgumentException if the workers or shards are out of range
     */
    public DataParallelEngine(ForecastingModel model, int workers, int shards) {
        Shards.check(workers, shards);
        this.model = model;
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

    /**
     * The default worker count of training, predict and evaluate: one per core, at most 8.
     *
     * @return the count
     */
    public static int defaultWorkers() {
        return Math.min(8, Runtime.getRuntime().availableProcessors());
    }

    /**
     * How many shards run at once.
     *
     * @return the worker count
     */
    public int workers() {
        return workers;
    }

    /**
     * How many shards every batch is cut into.
     *
     * @return the shard count
     */
    public int shards() {
        return shards;
    }

    /**
     * Forward and backward of one batch; afterwards every parameter's {@code grad} holds the batch's
     * gradient (its previous content is replaced).
     *
     * @param batch the batch, cut into the engine's shards
     * @param seed  the step's dropout seed; shard s uses a seed derived from it and s
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
                Variable prediction = model.forward(part.inputs(), false).prediction();
                Variable l = model.loss(prediction, part.target(), part.inputs().decoderLengths(), validSteps);
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

    /**
     * The model's loss over validation batches, averaged over all their valid decoder steps, in eval mode
     * without a tape.
     *
     * @param batches the validation batches
     * @return the mean loss
     * @throws IllegalArgumentException if the batches hold no valid decoder step
     */
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
                    Variable prediction = model.forward(part.inputs(), false).prediction();
                    shardLoss[shard] = model.loss(prediction, part.target(), part.inputs().decoderLengths(), total).item();
                }
            });
            for (double l : shardLoss) {
                sum += l;
            }
        }
        return sum;
    }
}
