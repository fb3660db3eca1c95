package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.data.BatchLoader;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.parallel.TrainingData;

import java.util.ArrayList;
import java.util.List;

/**
 * The trainer's view of a training and a validation data set, as PTF's {@code to_dataloader}: shuffled
 * training batches (the last incomplete batch dropped; batch b of epoch e is a pure function of the
 * seed, e and b) and the validation set's batches in order, collated once.
 */
public final class DatasetTrainingData implements TrainingData {

    private final TimeSeriesDataSet training;
    private final BatchLoader loader;
    private final List<TrainingBatch> validation = new ArrayList<>();

    /**
     * Collates the validation batches and prepares the training set's shuffled loader.
     *
     * @param training   the training windows
     * @param validation the validation windows (PTF's predict mode: each series' last window)
     * @param batchSize  windows per training batch (validation batches hold at least 64)
     * @param seed       the shuffling seed
     */
    public DatasetTrainingData(TimeSeriesDataSet training, TimeSeriesDataSet validation, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
        }
        this.training = training;
        this.loader = training.trainLoader(batchSize, seed);
        for (Batch b : validation.predictLoader(Math.max(batchSize, 64))) {
            this.validation.add(ConfigSections.toTraining(b));
        }
    }

    @Override
    public int batchesPerEpoch() {
        return loader.batchCount();
    }

    @Override
    public TrainingBatch trainingBatch(int epoch, int index) {
        return ConfigSections.toTraining(training.collate(loader.windows(epoch, index)));
    }

    @Override
    public List<TrainingBatch> validationBatches() {
        return validation;
    }
}
