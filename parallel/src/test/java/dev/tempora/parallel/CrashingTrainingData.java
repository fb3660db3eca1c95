package dev.tempora.parallel;

import java.util.List;

/**
 * Training data that throws {@link Crash} when asked for batch {@code batch} of epoch {@code epoch}: a process
 * that dies mid-epoch, for the resume and failure tests of the trainer and of distributed training.
 *
 * @param data  the data served until then
 * @param epoch the epoch of the crash (0-based)
 * @param batch the batch of the crash (0-based)
 */
public record CrashingTrainingData(TrainingData data, int epoch, int batch) implements TrainingData {

    /** The crash. */
    public static final class Crash extends RuntimeException {
        /** A crash without a message. */
        public Crash() {
        }
    }

    @Override
    public int batchesPerEpoch() {
        return data.batchesPerEpoch();
    }

    @Override
    public TrainingBatch trainingBatch(int e, int index) {
        if (e == epoch && index == batch) {
            throw new Crash();
        }
        return data.trainingBatch(e, index);
    }

    @Override
    public List<TrainingBatch> validationBatches() {
        return data.validationBatches();
    }
}
