package dev.tempora.parallel.distributed;

import dev.tempora.models.ModelInputs;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.parallel.TrainingData;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Several ranks' partitions as the data of one process: what {@link DistributedTraining} trains on,
 * seen whole. Batch b of epoch e is the concatenation, in partition order, of every partition's batch b
 * of epoch e (padded to the longest encoder and decoder; {@link TrainingBatch#shard} trims each shard to
 * its own longest, so the padding changes nothing); there are as many batches per epoch as the smallest
 * partition has; the validation batches are every partition's, partition after partition. With S shards,
 * N partitions, S a multiple of N and batches of equal size, the shards of a batch here are exactly the
 * shards the N ranks compute, so training on this in one process gives bitwise the ranks' weights.
 */
public final class PartitionedTrainingData implements TrainingData {

    private final List<TrainingData> partitions;
    private final int batchesPerEpoch;

    private PartitionedTrainingData(List<TrainingData> partitions) {
        this.partitions = partitions;
        this.batchesPerEpoch = partitions.stream().mapToInt(TrainingData::batchesPerEpoch).min().orElseThrow();
    }

    /** The partitions, in rank order, as one data set. */
    public static PartitionedTrainingData concatenated(List<TrainingData> partitions) {
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalArgumentException("no partitions: pass at least one, in rank order");
        }
        return new PartitionedTrainingData(List.copyOf(partitions));
    }

    /** The partitions, in rank order. */
    public List<TrainingData> partitions() {
        return partitions;
    }

    /** The smallest partition's batches per epoch. */
    @Override
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Every partition's batch {@code index} of {@code epoch}, concatenated in partition order. */
    @Override
    public TrainingBatch trainingBatch(int epoch, int index) {
        List<TrainingBatch> parts = new ArrayList<>(partitions.size());
        for (TrainingData partition : partitions) {
            parts.add(partition.trainingBatch(epoch, index));
        }
        return concatenate(parts);
    }

    /** Every partition's validation batches, partition after partition. */
    @Override
    public List<TrainingBatch> validationBatches() {
        List<TrainingBatch> all = new ArrayList<>();
        for (TrainingData partition : partitions) {
            all.addAll(partition.validationBatches());
        }
        return all;
    }

    /** The batches' samples in order, as one batch padded to the longest encoder and decoder. */
    static TrainingBatch concatenate(List<TrainingBatch> parts) {
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        int encoderSteps = parts.stream().mapToInt(b -> b.inputs().encoderSteps()).max().orElseThrow();
        int decoderSteps = parts.stream().mapToInt(b -> b.inputs().decoderSteps()).max().orElseThrow();
        ModelInputs inputs = new ModelInputs(
                stack(parts, b -> b.inputs().encoderCat(), encoderSteps),
                stack(parts, b -> b.inputs().encoderCont(), encoderSteps),
                stack(parts, b -> b.inputs().decoderCat(), decoderSteps),
                stack(parts, b -> b.inputs().decoderCont(), decoderSteps),
                lengths(parts, b -> b.inputs().encoderLengths()),
                lengths(parts, b -> b.inputs().decoderLengths()),
                Tensor.concat(0, parts.stream().map(b -> b.inputs().targetScale()).toList()));
        // Weights go along with their samples; a part without them weighs 1 at every step.
        boolean weighted = parts.stream().anyMatch(b -> b.weight() != null);
        Tensor weight = weighted ? stack(parts, b -> b.weight() != null ? b.weight() : Tensor.ones(b.target().shape()),
                decoderSteps) : null;
        return new TrainingBatch(inputs, stack(parts, TrainingBatch::target, decoderSteps), weight);
    }

    /** The parts' tensors concatenated along samples, each padded with zeros along time (axis 1) to {@code steps}. */
    private static Tensor stack(List<TrainingBatch> parts, Function<TrainingBatch, Tensor> tensor, int steps) {
        List<Tensor> padded = new ArrayList<>(parts.size());
        for (TrainingBatch part : parts) {
            Tensor t = tensor.apply(part);
            if (t.size(1) == steps) {
                padded.add(t);
            } else {
                int[] shape = t.shape().clone();
                shape[1] = steps;
                Tensor zeros = Tensor.zeros(shape);
                zeros.narrow(1, 0, t.size(1)).copyFrom(t);
                padded.add(zeros);
            }
        }
        return Tensor.concat(0, padded);
    }

    private static int[] lengths(List<TrainingBatch> parts, Function<TrainingBatch, int[]> lengths) {
        int total = 0;
        for (TrainingBatch part : parts) {
            total += lengths.apply(part).length;
        }
        int[] all = new int[total];
        int at = 0;
        for (TrainingBatch part : parts) {
            int[] l = lengths.apply(part);
            System.arraycopy(l, 0, all, at, l.length);
            at += l.length;
        }
        return all;
    }
}
