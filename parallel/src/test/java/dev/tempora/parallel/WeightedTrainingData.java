package dev.tempora.parallel;

import dev.tempora.tensor.Tensor;

import java.util.List;

/** Another TrainingData's batches with a weight on every step, varied by sample and step (0 included), in training and validation. */
public record WeightedTrainingData(TrainingData data) implements TrainingData {

    @Override
    public int batchesPerEpoch() {
        return data.batchesPerEpoch();
    }

    @Override
    public TrainingBatch trainingBatch(int epoch, int index) {
        return weighted(data.trainingBatch(epoch, index));
    }

    @Override
    public List<TrainingBatch> validationBatches() {
        return data.validationBatches().stream().map(WeightedTrainingData::weighted).toList();
    }

    private static TrainingBatch weighted(TrainingBatch b) {
        int n = b.size();
        int td = b.target().size(1);
        float[] w = new float[n * td];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7) * 0.75f;
        }
        return new TrainingBatch(b.inputs(), b.target(), Tensor.wrap(w, n, td));
    }
}
