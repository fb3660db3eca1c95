package dev.tempora.bench;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.TaxiDemand;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.ModelSettings;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.forecast.TrainingJob;
import dev.tempora.tensor.io.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Serving forecasts from one loaded {@link TrainedModel}: the latency of one call and the throughput of
 * 1, 2 and 8 callers sharing the model. A call is {@link TrainedModel#predict(Frame, InferenceOptions)}
 * on one series (63 hours of history, 168 hours ahead with the known inputs and the target left empty),
 * with the seed preset's TFT: hidden 20, 8 heads, hidden_continuous 4, 7 quantiles, the demo's
 * variables. Everything a serving call does is timed: preparing the input, the data set, the forward
 * and the forecast table.
 *
 * <p>The callers are the only source of concurrency: {@link #ONE_WORKER} gives each call one
 * data-parallel worker, so N callers run N forwards at once. (A one-series call is one shard anyway, so
 * the default worker count runs the same path; {@link #latencyDefaultWorkers} shows it.)
 *
 * <p>The model is trained for one batch of one epoch: speed does not depend on the weights. It is saved
 * and loaded back, as a server would load it.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages",
        "--sun-misc-unsafe-memory-access=allow"})
public class ForecastServingBenchmark {

    /** Hours of history the model reads (max_encoder_length of the seed preset). */
    public static final int ENCODER_HOURS = 63;
    /** Hours forecast (max_prediction_length of the seed preset). */
    public static final int HORIZON_HOURS = 168;
    /** Per-call options: one data-parallel worker, so that the callers are the concurrency. */
    public static final InferenceOptions ONE_WORKER = InferenceOptions.defaults().withWorkers(1);

    private Path directory;
    private TrainedModel model;
    private Frame oneSeries;

    /** JMH makes the state; {@link #setUp} trains and loads the model. */
    public ForecastServingBenchmark() {
    }

    /**
     * Trains the seed-shaped TFT for one batch, saves it, loads it back and cuts one series' predict input.
     *
     * @throws IOException when the temporary model directory cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Frame table = TaxiDemand.generate(new TaxiDemand.Options(4, 21, LocalDate.of(2023, 3, 6), 42));
        directory = Files.createTempDirectory("tempora-serving-bench");
        TrainingJob.builder(table, seedParameters())
                .model(ModelSettings.builder().hiddenSize(20).attentionHeadSize(8).dropout(0.1).hiddenContinuousSize(4).build())
                .trainer(t -> t.maxEpochs(1).limitTrainBatchCount(1).seed(42).workers(1))
                .batchSize(16)
                .outputDirectory(directory)
                .build()
                .fit();
        model = TrainedModel.load(directory);
        oneSeries = predictInput(table);
        int rows = model.predict(oneSeries, ONE_WORKER).table().rowCount();
        if (rows != HORIZON_HOURS) {
            throw new IllegalStateException("expected one series of " + HORIZON_HOURS + " forecast rows, got " + rows);
        }
    }

    /**
     * Removes the saved model.
     *
     * @throws IOException when the temporary model directory cannot be deleted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The demo's dataset section (examples/taxi.json): encoder 63, horizon 168, the seed's variables. */
    static DatasetParameters seedParameters() {
        return DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                 "min_encoder_length": 5, "max_encoder_length": %d, "min_prediction_length": 1, "max_prediction_length": %d,
                 "static_categoricals": ["pulocationid"], "static_reals": [],
                 "time_varying_known_categoricals": ["day_hour"], "time_varying_known_reals": ["time_idx"],
                 "time_varying_unknown_categoricals": [], "time_varying_unknown_reals": ["trip_quantity"],
                 "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"], "transformation": "softplus"},
                 "add_relative_time_idx": true, "add_target_scales": true, "add_encoder_length": true}
                """.formatted(ENCODER_HOURS, HORIZON_HOURS)));
    }

    /** The first zone's last 63 + 168 hours, the target left empty over the last 168 (the known inputs kept). */
    static Frame predictInput(Frame table) {
        int[] time = table.column("time_idx", IntColumn.class).toArray();
        var zone = table.column("pulocationid");
        String first = zone.format(0);
        int last = java.util.Arrays.stream(time).max().orElseThrow();
        int lastObserved = last - HORIZON_HOURS;
        int firstKept = lastObserved - ENCODER_HOURS + 1;
        Frame series = table.filter(r -> time[r] >= firstKept && zone.format(r).equals(first));
        int[] seriesTime = series.column("time_idx", IntColumn.class).toArray();
        double[] target = series.column("trip_quantity", DoubleColumn.class).toArray();
        for (int r = 0; r < target.length; r++) {
            if (seriesTime[r] > lastObserved) {
                target[r] = Double.NaN;
            }
        }
        return series.with(new DoubleColumn("trip_quantity", target));
    }

    /**
     * One forecast, one caller, one worker: JMH's sample-time percentiles (p50, p99) are the latency.
     *
     * @return the forecast, returned so that JMH consumes it and the call cannot be optimised away
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Threads(1)
    public TrainedModel.Forecast latencyOneWorker() {
        return model.predict(oneSeries, ONE_WORKER);
    }

    /**
     * One forecast, one caller, the default workers (one per core, at most 8).
     *
     * @return the forecast, returned so that JMH consumes it and the call cannot be optimised away
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Threads(1)
    public TrainedModel.Forecast latencyDefaultWorkers() {
        return model.predict(oneSeries, InferenceOptions.defaults());
    }

    /**
     * Forecasts per second, one caller.
     *
     * @return the forecast, returned so that JMH consumes it and the call cannot be optimised away
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public TrainedModel.Forecast throughput1Caller() {
        return model.predict(oneSeries, ONE_WORKER);
    }

    /**
     * Forecasts per second, two callers sharing the model.
     *
     * @return the forecast, returned so that JMH consumes it and the call cannot be optimised away
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public TrainedModel.Forecast throughput2Callers() {
        return model.predict(oneSeries, ONE_WORKER);
    }

    /**
     * Forecasts per second, eight callers sharing the model.
     *
     * @return the forecast, returned so that JMH consumes it and the call cannot be optimised away
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(8)
    public TrainedModel.Forecast throughput8Callers() {
        return model.predict(oneSeries, ONE_WORKER);
    }
}
