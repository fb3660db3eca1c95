package dev.tempora.spark;

import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingData;
import dev.tempora.parallel.TrainingListener;
import dev.tempora.parallel.distributed.PartitionedTrainingData;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one-process equivalent of a {@link SparkTraining} run: the plan's partitions concatenated in rank order
 * ({@link PartitionedTrainingData}), trained by one trainer with {@code tasks x workers} workers and the same seed.
 * Its weights are bitwise those of the distributed run, which is how the tests and cluster-check.sh judge the
 * distributed one; it needs no Spark.
 */
public final class OneProcessTraining {

    private OneProcessTraining() {}

    /**
     * Trains the plan in this process and writes its files to the plan's output directory, as rank 0 would; continues
     * from the last state there when {@link TrainingPlan#prepare} kept one (resuming).
     *
     * @param listener progress (may be null)
     */
    public static Trainer.Result train(TrainingPlan plan, TrainingListener listener) throws IOException {
        List<TrainingData> partitions = new ArrayList<>();
        for (int rank = 0; rank < plan.tasks(); rank++) {
            partitions.add(plan.partition(rank));
        }
        TrainerSettings rank0 = plan.settings(plan.outputDirectory());
        TrainerSettings settings = rank0.toBuilder().workers(plan.tasks() * rank0.workers()).shards(rank0.shards()).build();
        try (Trainer trainer = new Trainer(plan.initialModel(), PartitionedTrainingData.concatenated(partitions), settings,
                listener)) {
            if (java.nio.file.Files.exists(plan.lastState())) { // left by prepare only when resuming
                trainer.resume(plan.lastState());
            }
            return trainer.fit();
        }
    }
}
