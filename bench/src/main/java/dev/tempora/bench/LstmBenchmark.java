package dev.tempora.bench;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.LstmSequence;
import dev.tempora.autograd.Variable;
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

import java.util.concurrent.TimeUnit;

/**
 * The TFT's LSTM alone on one shard of a training step, in microseconds: PyTorch Forecasting's
 * encoder (63 steps) and then decoder (168 steps, started from the encoder's final state), one
 * layer each, hidden and input size 20, 16 samples. {@code trainStep} runs both forwards and the
 * backward through time (seeded on every output); {@code inference} both forwards without
 * gradients. One thread: the op runs on the calling thread, as data-parallel workers run it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dtempora.threads=1",
        "--sun-misc-unsafe-memory-access=allow"})
public class LstmBenchmark {

    private static final int BATCH = 16;
    private static final int HIDDEN = 20;
    private static final int ENCODER_STEPS = 63;
    private static final int DECODER_STEPS = 168;

    private Variable encoderInput;
    private Variable decoderInput;
    private Variable hidden0;
    private Variable cell0;
    /** weight_ih, weight_hh, bias_ih, bias_hh of the encoder, then of the decoder. */
    private final Variable[] weights = new Variable[8];
    private Tensor outputGradient;

    /** Instantiated by JMH, once per fork and thread. */
    public LstmBenchmark() {}

    /** Random inputs, initial states and weights (torch's scale, U(−1/√H, 1/√H) being about 0.2). */
    @Setup
    public void setUp() {
        encoderInput = Variable.parameter(Tensor.randn(1, BATCH, ENCODER_STEPS, HIDDEN));
        decoderInput = Variable.parameter(Tensor.randn(2, BATCH, DECODER_STEPS, HIDDEN));
        hidden0 = Variable.parameter(Tensor.randn(3, BATCH, HIDDEN));
        cell0 = Variable.parameter(Tensor.randn(4, BATCH, HIDDEN));
        for (int layer = 0; layer < 2; layer++) {
            weights[4 * layer] = Variable.parameter(Tensor.randn(10 + layer, 4 * HIDDEN, HIDDEN).mul(0.2f));
            weights[4 * layer + 1] = Variable.parameter(Tensor.randn(20 + layer, 4 * HIDDEN, HIDDEN).mul(0.2f));
            weights[4 * layer + 2] = Variable.parameter(Tensor.randn(30 + layer, 4 * HIDDEN).mul(0.2f));
            weights[4 * layer + 3] = Variable.parameter(Tensor.randn(40 + layer, 4 * HIDDEN).mul(0.2f));
        }
        outputGradient = Tensor.randn(5, BATCH, ENCODER_STEPS + DECODER_STEPS, HIDDEN);
    }

    /** Encoder and decoder forward and the backward through both; returns a gradient element. */
    @Benchmark
    public float trainStep() {
        Variable output = encodeDecode();
        output.backward(outputGradient);
        float result = weights[1].grad().toFloatArray()[0];
        for (Variable v : new Variable[] {encoderInput, decoderInput, hidden0, cell0}) {
            v.setGrad(null);
        }
        for (Variable v : weights) {
            v.setGrad(null);
        }
        return result;
    }

    /** Encoder and decoder forward with gradients off; returns an output element. */
    @Benchmark
    public float inference() {
        try (GradMode.Scope off = GradMode.noGrad()) {
            return encodeDecode().value().toFloatArray()[0];
        }
    }

    /** The outputs of both, (B, 63 + 168, H). */
    private Variable encodeDecode() {
        LstmSequence.Result encoder = LstmSequence.apply(encoderInput, hidden0, cell0, weights[0], weights[1],
                weights[2], weights[3], null);
        LstmSequence.Result decoder = LstmSequence.apply(decoderInput, encoder.finalHidden(), encoder.finalCell(),
                weights[4], weights[5], weights[6], weights[7], null);
        return Variable.concat(1, encoder.output(), decoder.output());
    }
}
