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
    /** Where each parameter's gradient starts when all are laid end to end; the last entry is the total. */
    private final int[] gradientOffsets;

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
        this.gradientOffsets = new int[parameters.size() + 1];
        for (int i = 0; i < parameters.size(); i++) {
            gradientOffsets[i + 1] = Math.addExact(gradientOffsets[i], parameters.get(i).value().numel());
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
        double[] shardLoss = computeShards(batch, seed, 0, shards, batch.validSteps());
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
     * Forward and backward of shards {@code firstShard} .. {@code firstShard + count - 1} of a larger
     * batch, of which {@code part} holds exactly those shards' samples: it is cut into {@code count}
     * shards, each run with the larger batch's shard index (its dropout seed and its own gradient set).
     * This is {@link #trainStep}'s computation split across processes: with the larger batch cut into
     * equal parts of {@code count} shards, one per process, every shard computes bitwise what it does
     * in one process. The gradients stay in the shards' sets for {@link #addShardGradients}.
     *
     * @param part       the samples of these shards
     * @param seed       the step's dropout seed (of the larger batch)
     * @param firstShard the first shard's index in the larger batch
     * @param count      how many shards {@code part} is cut into
     * @param validSteps valid decoder steps of the larger batch: the loss's denominator
     * @return the shards' losses, in shard order
     * @throws IllegalArgumentException if the shards are not among this engine's
     */
    public double[] computeShards(TrainingBatch part, long seed, int firstShard, int count, long validSteps) {
        if (firstShard < 0 || count < 1 || firstShard + count > shards) {
            throw new IllegalArgumentException("shards " + firstShard + " .. " + (firstShard + count - 1)
                    + " are outside this engine's " + shards + " shards");
        }
        model.train();
        double[] shardLoss = new double[count];
        Shards.run(workers, firstShard, count, part.size(), (shard, from, to) -> {
            GradientSet gradients = gradientSets[shard];
            gradients.zero();
            if (from == to) {
                return;
            }
            try (BufferPool.Scope scope = pools[shard].open();
                 DropoutSeeds.Scope seeds = DropoutSeeds.open(DropoutSeeds.mix(seed * 31 + shard));
                 GradMode.Scope capture = gradients.capture()) {
                TrainingBatch piece = part.shard(from, to);
                Variable prediction = model.forward(piece.inputs(), false).prediction();
                Variable l = model.loss(prediction, piece.target(), piece.weight(), piece.inputs().decoderLengths(), validSteps);
                shardLoss[shard - firstShard] = l.item();
                l.backward();
            }
        });
        return shardLoss;
    }

    /**
     * The length of all parameters' gradients laid end to end, in {@code model.parameters()} order.
     *
     * @return the number of gradient values
     */
    public int gradientLength() {
        return gradientOffsets[parameters.size()];
    }

    /**
     * Adds the gradients of shards {@code firstShard} .. {@code firstShard + count - 1} (as the last
     * {@link #computeShards} left them), in shard order, onto elements [from, to) of {@code partial}, a
     * sum of all gradients laid end to end ({@link #gradientLength}). Per element these are exactly
     * {@link #trainStep}'s additions, so a chain of processes adding their shards in order onto the
     * partial sum of the ones before reproduces its gradient bitwise.
     *
     * @param firstShard the first shard to add
     * @param count      how many shards to add
     * @param partial    the partial sum, updated in place
     * @param from       the first element to update
     * @param to         the element after the last one to update
     */
    public void addShardGradients(int firstShard, int count, float[] partial, int from, int to) {
        Tensor sum = Tensor.wrap(partial, partial.length);
        for (int i = 0; i < parameters.size(); i++) {
            int offset = gradientOffsets[i];
            int lo = Math.max(from, offset);
            int hi = Math.min(to, gradientOffsets[i + 1]);
            for (int s = firstShard; lo < hi && s < firstShard + count; s++) {
                if (gradientSets[s].touched(i)) {
                    // addInPlace, as trainStep adds: an element's sum does not depend on the range around it.
                    Tensor shard = gradientSets[s].gradient(i).reshape(-1).narrow(0, lo - offset, hi - lo);
                    sum.narrow(0, lo, hi - lo).addInPlace(shard);
                }
            }
        }
    }

    /**
     * Makes every parameter's {@code grad} its part of {@code gradients}, laid out as
     * {@link #addShardGradients} lays them.
     *
     * @param gradients all gradients laid end to end
     * @throws IllegalArgumentException if the length is not {@link #gradientLength}
     */
    public void setGradients(float[] gradients) {
        if (gradients.length != gradientLength()) {
            throw new IllegalArgumentException(gradients.length + " gradient values for " + gradientLength() + " parameters");
        }
        for (int i = 0; i < parameters.size(); i++) {
            Variable p = parameters.get(i);
            Tensor grad = p.grad();
            if (grad == null) {
                grad = BufferPool.outsideScope(() -> Tensor.zeros(p.shape()));
                p.setGrad(grad);
            }
            int offset = gradientOffsets[i];
            int length = gradientOffsets[i + 1] - offset;
            if (grad.isContiguous()) {
                System.arraycopy(gradients, offset, grad.storage(), grad.storageOffset(), length);
            } else {
                grad.copyFrom(Tensor.wrap(java.util.Arrays.copyOfRange(gradients, offset, offset + length), p.shape()));
            }
        }
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
        long validSteps = 0;
        for (TrainingBatch b : batches) {
            validSteps += b.validSteps();
        }
        if (validSteps == 0) {
            throw new IllegalArgumentException("the validation set has no valid decoder step");
        }
        double sum = 0;
        for (double l : validationShardLosses(batches, validSteps)) {
            sum += l;
        }
        return sum;
    }

    /**
     * The terms of {@link #validationLoss}: each batch's shard losses over {@code validSteps} (the
     * denominator of the whole validation set, which may span processes), batch by batch in shard order
     * (empty shards give 0). Their sum in order is the validation loss.
     *
     * @param batches    the validation batches
     * @param validSteps valid decoder steps of the whole validation set
     * @return the batches' shard losses, {@code shards()} per batch
     */
    public double[] validationShardLosses(List<TrainingBatch> batches, long validSteps) {
        model.eval();
        double[] terms = new double[batches.size() * shards];
        for (int b = 0; b < batches.size(); b++) {
            TrainingBatch batch = batches.get(b);
            int first = b * shards;
            Shards.run(workers, shards, batch.size(), (shard, from, to) -> {
                if (from == to) {
                    return;
                }
                try (BufferPool.Scope scope = pools[shard].open(); GradMode.Scope off = GradMode.noGrad()) {
                    TrainingBatch part = batch.shard(from, to);
                    Variable prediction = model.forward(part.inputs(), false).prediction();
                    terms[first + shard] = model.loss(prediction, part.target(), part.weight(), part.inputs().decoderLengths(),
                            validSteps).item();
                }
            });
        }
        return terms;
    }
}
