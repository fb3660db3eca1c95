package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftOutput;
import dev.tempora.tensor.BufferPool;
import dev.tempora.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * Eval-mode forward passes on the CPU's cores, cut as {@link DataParallelEngine} cuts training: every
 * batch into a fixed number of shards, worker w running shards w, w + W, ... with serial kernels and the
 * shard's own {@link BufferPool} (kept across batches), then the shards' outputs concatenated in sample
 * order. The result is bitwise the whole batch's forward, whatever the workers and shards: a shard keeps
 * the batch's padding ({@link ModelInputs#samples}), so its samples see the same shapes, and the kernels
 * compute every sample on its own, with one exception that the cut avoids. A product with a single row
 * (a static layer of a one-sample batch) takes the matrix-vector GEMM, which sums in another order than
 * the register tiles; so a batch of n samples is cut into min(shards, n / 2) shards, never leaving one
 * sample of a larger batch alone.
 *
 * <p>One forward at a time: the pools are not shared between concurrent calls.
 */
public final class DataParallelInference implements InferenceBackend {

    private final TemporalFusionTransformer model;
    private final int workers;
    private final int shards;
    private final BufferPool[] pools;

    /** {@code workers} workers over {@code max(8, workers)} shards, as training cuts its batches. */
    public DataParallelInference(TemporalFusionTransformer model, int workers) {
        this(model, workers, Math.max(8, workers));
    }

    public DataParallelInference(TemporalFusionTransformer model, int workers, int shards) {
        Shards.check(workers, shards);
        this.model = model;
        this.workers = workers;
        this.shards = shards;
        this.pools = new BufferPool[shards];
        for (int s = 0; s < shards; s++) {
            pools[s] = new BufferPool();
        }
    }

    public int workers() {
        return workers;
    }

    public int shards() {
        return shards;
    }

    @Override
    public Tensor predict(ModelInputs inputs) {
        return forward(inputs, false).prediction().value();
    }

    /**
     * {@code model.forward(inputs, interpret)} in eval mode without a tape, sharded. The output's tensors
     * are ordinary (garbage-collected) constants; with {@code interpret} it carries the attention and
     * variable-selection weights of every sample too.
     */
    public TftOutput forward(ModelInputs inputs, boolean interpret) {
        int n = inputs.batchSize();
        if (n == 0) {
            throw new IllegalArgumentException("an empty batch has nothing to forecast");
        }
        model.eval();
        int cut = Math.min(shards, Math.max(1, n / 2));
        TftOutput[] parts = new TftOutput[cut];
        Shards.run(workers, cut, n, (shard, from, to) -> {
            try (BufferPool.Scope scope = pools[shard].open(); GradMode.Scope off = GradMode.noGrad()) {
                parts[shard] = persistent(model.forward(inputs.samples(from, to), interpret));
            }
        });
        return concat(parts);
    }

    /** The output's tensors copied out of the shard's pool. */
    private static TftOutput persistent(TftOutput out) {
        return new TftOutput(persistent(out.prediction()), out.attention() == null ? null : out.attention().persistentCopy(),
                out.encoderSteps(), persistent(out.staticVariables()), persistent(out.encoderVariables()),
                persistent(out.decoderVariables()));
    }

    private static Variable persistent(Variable v) {
        return v == null ? null : Variable.constant(v.value().persistentCopy());
    }

    /** The shards' outputs as one batch's, in sample order. */
    private static TftOutput concat(TftOutput[] parts) {
        TftOutput first = parts[0];
        if (parts.length == 1) {
            return first;
        }
        List<TftOutput> all = List.of(parts);
        return new TftOutput(concat(all, TftOutput::prediction),
                first.attention() == null ? null : Tensor.concat(0, all.stream().map(TftOutput::attention).toList()),
                first.encoderSteps(), concat(all, TftOutput::staticVariables), concat(all, TftOutput::encoderVariables),
                concat(all, TftOutput::decoderVariables));
    }

    private static Variable concat(List<TftOutput> parts, Function<TftOutput, Variable> part) {
        if (part.apply(parts.getFirst()) == null) {
            return null;
        }
        return Variable.constant(Tensor.concat(0, parts.stream().map(p -> part.apply(p).value()).toList()));
    }
}
