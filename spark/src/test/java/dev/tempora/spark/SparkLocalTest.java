package dev.tempora.spark;

import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.ParquetFiles;
import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.TrainedModel;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training and batch forecasting on Spark in local mode, two task slots: the distributed code paths in one JVM. */
class SparkLocalTest {

    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkLocalTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static TrainingConfig config() throws Exception {
        return TrainingConfig.load(Path.of(SparkLocalTest.class.getResource("/small-taxi.json").toURI()));
    }

    private static TrainingPlan plan(Path out) throws Exception {
        return TrainingPlan.prepare(config(), out, 2, settings -> settings.workers(1).checkpointEveryBatches(1), false);
    }

    @Test
    void twoTasksTrainBitwiseAsOneProcessOnTheConcatenatedPartitions(@TempDir Path dir) throws Exception {
        List<String> ranks = SparkTraining.run(spark, plan(dir.resolve("spark")));
        assertEquals(2, ranks.size());
        assertTrue(ranks.get(0).startsWith("rank 0 of 2"), ranks.get(0));
        OneProcessTraining.train(plan(dir.resolve("one-process")), null);
        assertEquals(List.of(), WeightComparison.differences(dir.resolve("spark"), dir.resolve("one-process")));
    }

    @Test
    void batchForecastsEqualTheLibrarysPredictOfTheWholeTable(@TempDir Path dir) throws Exception {
        TrainingPlan plan = plan(dir.resolve("model"));
        OneProcessTraining.train(plan, null);
        Frame table = config().loadFrame();
        // The model reads a known future input (day_hour): the last 12 hours keep it and lose their target.
        int[] time = ((IntColumn) table.column("time_idx")).toArray();
        int lastObserved = java.util.Arrays.stream(time).max().orElseThrow() - 12;
        double[] target = ((DoubleColumn) table.column("trip_quantity")).toArray();
        for (int r = 0; r < target.length; r++) {
            if (time[r] > lastObserved) {
                target[r] = Double.NaN;
            }
        }
        Path input = dir.resolve("table.parquet");
        ParquetFiles.write(table.with(new DoubleColumn("trip_quantity", target)), input);
        TrainedModel model = TrainedModel.load(dir.resolve("model"));

        List<Path> parts = BatchForecasting.run(spark, dir.resolve("model"), input, dir.resolve("forecasts"), 2);

        Frame whole = model.predict(model.readTable(input)).table().frame();
        List<String> expected = rows(whole);
        List<String> actual = new ArrayList<>();
        for (Path part : parts) {
            Frame forecast = ParquetFiles.read(part);
            assertEquals(whole.names(), forecast.names(), "the columns of tempora predict");
            actual.addAll(rows(forecast));
        }
        assertEquals(2, parts.size());
        expected.sort(Comparator.naturalOrder());
        actual.sort(Comparator.naturalOrder());
        assertEquals(expected, actual);
    }

    /** Each row as text, every value written exactly (floats by their shortest round-trip form). */
    private static List<String> rows(Frame frame) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < frame.rowCount(); r++) {
            StringBuilder row = new StringBuilder();
            for (var c : frame.columns()) {
                row.append(c.format(r)).append('|');
            }
            out.add(row.toString());
        }
        return out;
    }
}
