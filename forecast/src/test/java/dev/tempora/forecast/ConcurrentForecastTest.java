package dev.tempora.forecast;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A loaded model serves many threads at once, each getting the bits a sequential call gets. */
class ConcurrentForecastTest {

    @Test
    void concurrentCallersGetBitwiseTheSequentialForecasts() throws Exception {
        TrainingJobTest.data();
        TrainedModel model = TrainingJobTest.small().build().fit().model();
        // Different inputs per caller, so that a shared buffer would show up as a wrong answer somewhere.
        List<dev.tempora.data.Frame> inputs = new ArrayList<>();
        int[] time = ((dev.tempora.data.IntColumn) TrainingJobTest.table.column("time_idx")).toArray();
        for (int k = 0; k < 8; k++) {
            int end = TrainingJobTest.LAST - 3 * k;
            inputs.add(TrainingJobTest.predictInput(TrainingJobTest.table.filter(r -> time[r] <= end), end - TrainingJobTest.HORIZON));
        }
        List<float[]> sequential = new ArrayList<>();
        for (var input : inputs) {
            sequential.add(TrainingJobTest.column(model.predict(input).table(), "q0.9"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<float[]>> futures = new ArrayList<>();
                for (var input : inputs) {
                    futures.add(pool.submit(() -> TrainingJobTest.column(model.predict(input).table(), "q0.9")));
                }
                for (int k = 0; k < inputs.size(); k++) {
                    assertArrayEquals(sequential.get(k), futures.get(k).get(), "caller " + k + ", round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(8, inputs.size());
    }
}
