package dev.tempora.data;

import dev.tempora.tensor.io.Json;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;

/**
 * Not a test: measures the heap a 10-million-row frame and its training dataset take (the taxi set-up,
 * 260 zones x 1603 days hourly) and how fast batches collate. Run with
 * {@code java -Xmx6g -cp ... dev.tempora.data.MemoryReport}; the figures go in data/README.md.
 */
public final class MemoryReport {

    public static void main(String[] args) {
        int days = args.length > 0 ? Integer.parseInt(args[0]) : 1603;
        Frame frame = TaxiDemand.generate(new TaxiDemand.Options(260, days, LocalDate.of(2020, 1, 1), 1));
        long afterFrame = usedAfterGc();
        System.out.printf("frame: %,d rows, column values %,d bytes; heap in use %,d bytes%n", frame.rowCount(), frame.byteSize(), afterFrame);
        DatasetParameters p = DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                 "min_encoder_length": 5, "max_encoder_length": 63, "min_prediction_length": 1, "max_prediction_length": 168,
                 "static_categoricals": ["pulocationid"], "time_varying_known_categoricals": ["day_hour"],
                 "time_varying_known_reals": ["time_idx"], "time_varying_unknown_reals": ["trip_quantity"],
                 "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"], "transformation": "softplus"},
                 "add_relative_time_idx": true, "add_target_scales": true, "add_encoder_length": true}"""));
        long start = System.nanoTime();
        TimeSeriesDataSet ds = TimeSeriesDataSet.create(frame, p);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        long withDataset = usedAfterGc();
        System.out.printf("dataset: %,d windows, arrays %,d bytes, built in %.1f s; heap with frame and dataset %,d bytes%n",
                ds.size(), ds.byteSize(), buildSeconds, withDataset);
        frame = null;
        long datasetOnly = usedAfterGc();
        System.out.printf("dataset alone (frame dropped): heap in use %,d bytes%n", datasetOnly);
        BatchLoader loader = ds.trainLoader(128, 42);
        int batches = 200;
        double[] times = new double[5];
        for (int round = 0; round < times.length; round++) {
            long t0 = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                ds.collate(loader.windows(round, b));
            }
            times[round] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(times);
        System.out.printf("collate: %.0f batches of 128 x 231 steps per second on one thread (median of %d rounds of %d)%n",
                batches / times[times.length / 2], times.length, batches);
        System.out.println("peak heap (JVM) " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted());
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
