package dev.tempora.parallel;

import java.util.List;

/**
 * Where the trainer's batches come from (the data module, adapted by the caller). Batches must be
 * a pure function of (epoch, index) so runs and resumed runs see the same data.
 */
public interface TrainingData {

    /** Training batches in one full epoch (the last incomplete batch dropped, as PTF's train loader). */
    int batchesPerEpoch();

    /** Training batch {@code index} of {@code epoch}, shuffled by the data's own seed. */
    TrainingBatch trainingBatch(int epoch, int index);

    /** The validation batches, in order. */
    List<TrainingBatch> validationBatches();
}
