package dev.tempora.parallel;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.Optimizer;
import dev.tempora.models.ReduceLROnPlateau;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where training stands: position, the best validation loss, early-stopping and scheduler state,
 * the epoch history. Saved with the weights and optimiser buffers in one safetensors file (tensors
 * prefixed {@code model.} and {@code optimizer.}, scalars as exact strings in the metadata). The file
 * holds no timing, so that the same seed gives the same bytes.
 */
final class TrainingState {

    int epoch;
    int nextBatch;
    double bestValidationLoss = Double.POSITIVE_INFINITY;
    int bestEpoch = -1;
    double earlyStoppingBest = Double.POSITIVE_INFINITY;
    int earlyStoppingWait;
    boolean stopped;
    double trainLossSum;
    int trainLossCount;
    int skippedBatches;
    final List<EpochResult> history = new ArrayList<>();

    void save(Path file, ForecastingModel model, Optimizer optimizer, ReduceLROnPlateau plateau)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : model.namedParameters().entrySet()) {
            tensors.put("model." + e.getKey(), e.getValue().value());
        }
        Optimizer.State os = optimizer.state();
        for (Map.Entry<String, Tensor> e : os.buffers().entrySet()) {
            tensors.put("optimizer." + e.getKey(), e.getValue());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        os.scalars().forEach((k, v) -> meta.put("optimizer." + k, v));
        meta.put("epoch", Integer.toString(epoch));
        meta.put("next_batch", Integer.toString(nextBatch));
        meta.put("best_validation_loss", Double.toString(bestValidationLoss));
        meta.put("best_epoch", Integer.toString(bestEpoch));
        meta.put("early_stopping_best", Double.toString(earlyStoppingBest));
        meta.put("early_stopping_wait", Integer.toString(earlyStoppingWait));
        meta.put("stopped", Boolean.toString(stopped));
        meta.put("train_loss_sum", Double.toString(trainLossSum));
        meta.put("train_loss_count", Integer.toString(trainLossCount));
        meta.put("skipped_batches", Integer.toString(skippedBatches));
        if (plateau != null) {
            double[] p = plateau.state();
            meta.put("plateau", p[0] + "," + p[1] + "," + p[2]);
        }
        // Timings are left out (zero) so that the same seed gives the same bytes; metrics.csv keeps them.
        StringBuilder rows = new StringBuilder();
        for (EpochResult r : history) {
            rows.append(new EpochResult(r.epoch(), r.trainLoss(), r.validationLoss(), r.learningRate(), 0, 0,
                    r.skippedBatches(), r.improved(), 0).toCsv()).append('\n');
        }
        meta.put("history", rows.toString());
        SafeTensors.write(file, tensors, meta);
    }

    static TrainingState load(Path file, ForecastingModel model, Optimizer optimizer, ReduceLROnPlateau plateau)
            throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                weights.put(k.substring("model.".length()), v);
            } else if (k.startsWith("optimizer.")) {
                buffers.put(k.substring("optimizer.".length()), v);
            }
        });
        Map<String, Variable> named = model.namedParameters();
        // The state stores each shared parameter once; fill in its other names.
        Map<String, Tensor> full = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : model.stateDict().entrySet()) {
            String first = firstName(named, e.getValue());
            if (weights.containsKey(first)) {
                full.put(e.getKey(), weights.get(first));
            }
        }
        Checkpoint.loadWeights(model, full, file.toString());
        Map<String, String> meta = c.metadata();
        Map<String, String> scalars = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith("optimizer.")) {
                scalars.put(k.substring("optimizer.".length()), v);
            }
        });
        SafeTensors.requireFinite(buffers, file.toString());
        TrainingState s = new TrainingState();
        try {
            optimizer.loadState(new Optimizer.State(buffers, scalars));
            s.epoch = Integer.parseInt(require(meta, "epoch", file));
            s.nextBatch = Integer.parseInt(require(meta, "next_batch", file));
            s.bestValidationLoss = Double.parseDouble(require(meta, "best_validation_loss", file));
            s.bestEpoch = Integer.parseInt(require(meta, "best_epoch", file));
            s.earlyStoppingBest = Double.parseDouble(require(meta, "early_stopping_best", file));
            s.earlyStoppingWait = Integer.parseInt(require(meta, "early_stopping_wait", file));
            s.stopped = Boolean.parseBoolean(require(meta, "stopped", file));
            s.trainLossSum = Double.parseDouble(require(meta, "train_loss_sum", file));
            s.trainLossCount = Integer.parseInt(require(meta, "train_loss_count", file));
            s.skippedBatches = Integer.parseInt(require(meta, "skipped_batches", file));
            if (plateau != null && meta.containsKey("plateau")) {
                String[] p = meta.get("plateau").split(",");
                plateau.loadState(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])});
            }
            for (String line : require(meta, "history", file).split("\n")) {
                if (!line.isBlank()) {
                    s.history.add(EpochResult.fromCsv(line));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": corrupt training state: " + e.getMessage(), e);
        }
        return s;
    }

    /**
     * Puts back the timings (samples per second, seconds) of restored epochs from the metrics file written
     * beside the state, which the state leaves out; a missing or unreadable file leaves them zero.
     */
    void restoreTimings(Path metricsFile) {
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(metricsFile);
        } catch (IOException e) {
            return;
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            EpochResult timed;
            try {
                timed = EpochResult.fromCsv(line);
            } catch (IllegalArgumentException e) {
                return; // metrics.csv is for people; the state does not depend on it
            }
            for (int i = 0; i < history.size(); i++) {
                EpochResult r = history.get(i);
                if (r.epoch() == timed.epoch()) {
                    history.set(i, new EpochResult(r.epoch(), r.trainLoss(), r.validationLoss(), r.learningRate(),
                            timed.samplesPerSecond(), timed.seconds(), r.skippedBatches(), r.improved(), r.etaSeconds()));
                }
            }
        }
    }

    private static String firstName(Map<String, Variable> named, Variable v) {
        for (Map.Entry<String, Variable> e : named.entrySet()) {
            if (e.getValue() == v) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("parameter without a name");
    }

    private static String require(Map<String, String> meta, String key, Path file) throws IOException {
        String v = meta.get(key);
        if (v == null) {
            throw new IOException(file + ": training state is missing '" + key + "'");
        }
        return v;
    }
}
