package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.ModelOutput;
import dev.tempora.tensor.BufferPool;
import dev.tempora.tensor.Tensor;

import java.util.Arrays;

/**
 * Eval-mode forward passes of a {@link ForecastingModel} on the CPU's cores, cut as
 * {@link DataParallelEngine} cuts training: every batch into a fixed number of shards, worker w running
 * shards w, w + W, ... with serial kernels and the shard's own {@link BufferPool} (kept across batches),
 * then the shards' outputs joined in sample order ({@link ModelOutput#persistentCopy},
 * {@link ModelOutput#concat}). The result is bitwise the whole batch's forward, whatever the workers and shards: a shard keeps
 * the batch's padding ({@link ModelInputs#samples}), so its samples see the same shapes, and the kernels
 * compute every sample on its own, with one exception that the cut avoids. A product with a single row
 * (a static layer of a one-sample batch) takes the matrix-vector GEMM, which sums in another order than
 * the register tiles; so a batch of n samples is cut into min(shards, n / 2) shards, never leaving one
 * sample of a larger batch alone.
 *
 * <p>One forward at a time: the pools are not shared between concurrent calls.
 */
public final class DataParallelInference implements InferenceBackend {

    private final ForecastingModel model;
    private final int workers;
    private final int shards;
    private final BufferPool[] pools;

    /**
     * Inference of {@code model} with {@code workers} workers over {@code max(8, workers)} shards, as
     * training cuts its batches.
     *
     * @param model   the model, run on its current weights
     * @param workers how many shards run at once
     * @throws IllegalArgumentException if {@code workers} is not positive
     */
    public DataParallelInference(ForecastingModel model, int workers) {
        this(model, workers, Math.max(8, workers));
    }

    /**
     * Inference of {@code model} with {@code workers} workers over at most {@code shards} shards.
     *
     * @param model   the model, run on its current weights
     * @param workers how many shards run at once (1 to {@code shards})
     * @param shards  the most shards a batch is cut into
     * @throws IllegalArgumentException if the workers or shards are out of range
     */
    public DataParallelInference(ForecastingModel model, int workers, int shards) {
        Shards.check(workers, shards);
        this.model = model;
        this.workers = workers;
        this.shards = shards;
        this.pools = new BufferPool[shards];
        for (int s = 0; s < shards; s++) {
            pools[s] = new BufferPool();
        }
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
     * The most shards a batch is cut into.
     *
     * @return the shard count
     */
    public int shards() {
        return shards;
    }

    /** The sharded forward's prediction (B, decoder steps, quantiles), in target units. */
    @Override
    public Tensor predict(ModelInputs inputs) {
        return forward(inputs, false).prediction().value();
    }

    /**
     * {@code model.forward(inputs, interpret)} in eval mode without a tape, sharded. The output's tensors
     * are ordinary (garbage-collected) constants; with {@code interpret} it carries what the model's output
     * adds for interpretation (the TFT's {@code TftOutput}: attention and variable-selection weights) for
     * every sample too.
     *
     * @param inputs    the batch
     * @param interpret whether the model should compute what interpretation needs
     * @return the model's output for the whole batch, joined by its {@link ModelOutput#concat} (for the TFT a
     *         {@code TftOutput})
     * @throws IllegalArgumentException if the batch is empty
     */
    public ModelOutput forward(ModelInputs inputs, boolean interpret) {
        int n = inputs.batchSize();
        if (n == 0) {
            throw new IllegalArgumentException("an empty batch has nothing to forecast");
        }
        model.eval();
        int cut = Math.min(shards, Math.max(1, n / 2));
        ModelOutput[] parts = new ModelOutput[cut];
        Shards.run(workers, cut, n, (shard, from, to) -> {
            try (BufferPool.Scope scope = pools[shard].open(); GradMode.Scope off = GradMode.noGrad()) {
                parts[shard] = model.forward(inputs.samples(from, to), interpret).persistentCopy();
            }
        });
        return parts[0].concat(Arrays.asList(parts).subList(1, cut));
    }
}
