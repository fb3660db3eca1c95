package dev.tempora.bench;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Adam;
import dev.tempora.models.Linear;
import dev.tempora.tensor.BufferPool;
import dev.tempora.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A training step of a small MLP (32 → 64 → 64 → 1, layer norm and tanh between, mean squared
 * error, Adam) on a batch of 256, inside a {@link BufferPool} scope as the trainer runs it: the
 * autograd engine's allocation per step. Run with {@code -prof gc}; {@code gc.alloc.rate.norm} is
 * the bytes a step allocates in steady state (what the pool does not recycle: the graph's nodes
 * and tensor headers).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages",
        "-Dtempora.threads=1", "--sun-misc-unsafe-memory-access=allow"})
public class MlpStepBenchmark {

    /** Instantiated by JMH, once per fork and thread. */
    public MlpStepBenchmark() {}

    private static final int BATCH = 256;

    private Linear first;
    private Linear second;
    private Linear output;
    private Variable norm1Weight;
    private Variable norm1Bias;
    private Variable norm2Weight;
    private Variable norm2Bias;
    private List<Variable> parameters;
    private Adam optimizer;
    private Tensor inputs;
    private Tensor targets;
    private final BufferPool pool = new BufferPool();

    /** The network, its Adam optimiser and one random batch, the same for every run. */
    @Setup
    public void setUp() {
        RandomGenerator rng = Tensor.generator(3);
        first = new Linear(32, 64, true, rng);
        second = new Linear(64, 64, true, rng);
        output = new Linear(64, 1, true, rng);
        norm1Weight = Variable.parameter(Tensor.ones(64));
        norm1Bias = Variable.parameter(Tensor.zeros(64));
        norm2Weight = Variable.parameter(Tensor.ones(64));
        norm2Bias = Variable.parameter(Tensor.zeros(64));
        parameters = List.of(first.weight, first.bias, second.weight, second.bias, output.weight, output.bias,
                norm1Weight, norm1Bias, norm2Weight, norm2Bias);
        optimizer = new Adam(parameters, 1e-3);
        inputs = Tensor.randn(rng, BATCH, 32);
        targets = Tensor.randn(rng, BATCH, 1);
    }

    /** One training step (forward, backward, Adam update) inside the pool's scope; returns the loss. */
    @Benchmark
    public float trainStep() {
        float loss;
        try (BufferPool.Scope scope = pool.open()) {
            optimizer.zeroGrad();
            Variable h = first.forward(Variable.constant(inputs)).layerNorm(1, norm1Weight, norm1Bias, 1e-5f).tanh();
            h = second.forward(h).layerNorm(1, norm2Weight, norm2Bias, 1e-5f).tanh();
            Variable error = output.forward(h).sub(Variable.constant(targets));
            Variable l = error.square().mean();
            loss = l.item();
            l.backward();
        }
        optimizer.step();
        return loss;
    }
}
