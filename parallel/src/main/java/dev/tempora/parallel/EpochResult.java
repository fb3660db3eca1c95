package dev.tempora.parallel;

import java.util.Locale;

/**
 * One epoch of training, as a row of metrics.csv. Epochs are numbered from 0 here and from 1 in the CSV.
 * {@code etaSeconds}, the estimated time left (not in the CSV), is NaN after a run's first epoch, which is its
 * warm-up and left out of the estimate (see {@link TrainingListener#onBatch}), and 0 after its last.
 */
public record EpochResult(int epoch, double trainLoss, double validationLoss, double learningRate,
                          double samplesPerSecond, double seconds, int skippedBatches, boolean improved,
                          double etaSeconds) {

    public static final String CSV_HEADER =
            "epoch,train_loss,val_loss,learning_rate,samples_per_second,epoch_seconds,skipped_batches,best";

    public String toCsv() {
        return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6g,%.1f,%.2f,%d,%s", epoch + 1, trainLoss, validationLoss,
                learningRate, samplesPerSecond, seconds, skippedBatches, improved);
    }

    static EpochResult fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 8) {
            throw new IllegalArgumentException("bad metrics row '" + line + "'");
        }
        return new EpochResult(Integer.parseInt(f[0]) - 1, Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Integer.parseInt(f[6]),
                Boolean.parseBoolean(f[7]), 0);
    }
}
