package dev.tempora.bench;

import dev.tempora.models.QuantileBoosting;
import dev.tempora.models.TreeEnsemble;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One quantile's gradient boosting ({@link QuantileBoosting#fit}), in milliseconds per fit: 20 trees of depth 6
 * on rows of 70 features (a tenth of them NaN), the shape of the stallion suite's tree model (about 98,000 rows
 * of 70 features, 150 trees per quantile). The target depends on a few features, so that the trees split deep.
 * One thread, as each quantile fits on its own thread in a tree model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow"})
public class QuantileBoostingBenchmark {

    /** Rows to fit. */
    @Param({"20000", "100000"})
    public int rows;

    private static final int FEATURES = 70;

    private float[][] features;
    private float[] target;
    private float[] weight;
    private final QuantileBoosting.Settings settings = new QuantileBoosting.Settings(20, 0.05, 6, 20, 0.8, 0.8, 64, 1);

    /** Instantiated by JMH, once per fork and thread. */
    public QuantileBoostingBenchmark() {}

    /** Random rows; the target a noisy function of four of the features. */
    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        features = new float[rows][FEATURES];
        target = new float[rows];
        weight = new float[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < FEATURES; j++) {
                features[i][j] = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextGaussian();
            }
            float a = Float.isNaN(features[i][0]) ? 0 : features[i][0];
            float b = Float.isNaN(features[i][1]) ? 0 : features[i][1];
            target[i] = (float) (2 * a + (b > 0.5 ? 3 : 0) + Math.sin(3 * (Float.isNaN(features[i][2]) ? 0 : features[i][2]))
                    + random.nextGaussian());
            weight[i] = (float) (0.5 + random.nextDouble());
        }
    }

    /** A fit of the median. */
    @Benchmark
    public TreeEnsemble fit() {
        return QuantileBoosting.fit(features, target, weight, 0.5f, settings);
    }
}
