package dev.tempora.cli;

import dev.tempora.data.Batch;
import dev.tempora.data.BatchLoader;
import dev.tempora.data.DatasetDescription;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TrainingConfig;
import dev.tempora.models.JsonFields;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.TftConfig;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.parallel.TrainingData;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires a training config to the model and the trainer, as PTF's {@code from_dataset} does: the
 * dataset's variable layout and the config's "model" section make the {@link TftConfig}; its
 * "training" section makes the {@link TrainerSettings}; batches become {@link TrainingBatch}es.
 */
final class Forecasting {

    private Forecasting() {}

    /** The model for a dataset, with the config's "model" hyper-parameters (PTF's names and defaults). */
    static TftConfig modelConfig(DatasetDescription d, Map<String, Object> model, long seed) {
        JsonFields f = new JsonFields(model, "config \"model\" section");
        List<Float> quantiles = new ArrayList<>(TftConfig.DEFAULT_QUANTILES);
        if (f.has("quantiles")) {
            quantiles.clear();
            for (Object q : f.list("quantiles")) {
                if (!(q instanceof Number n)) {
                    throw new IllegalArgumentException("config \"model\" section: quantiles must be numbers, got " + q);
                }
                quantiles.add(n.floatValue());
            }
        }
        if (f.has("output_size") && f.integer("output_size") != quantiles.size()) {
            throw new IllegalArgumentException("config \"model\" section: output_size " + f.integer("output_size")
                    + " does not match the " + quantiles.size() + " quantiles of the quantile loss");
        }
        String loss = f.string("loss", "QuantileLoss");
        if (!loss.equals("QuantileLoss")) {
            throw new IllegalArgumentException("config \"model\" section: loss \"" + loss + "\" is not supported; use QuantileLoss");
        }
        Map<String, Integer> hiddenContinuous = f.intMap("hidden_continuous_sizes");
        String transformation = d.targetNormalizer().transformation().label();
        return new TftConfig(f.integer("hidden_size", 16), f.integer("attention_head_size", 4),
                (float) f.number("dropout", 0.1), f.integer("hidden_continuous_size", 8), hiddenContinuous,
                f.integer("lstm_layers", 1), quantiles,
                d.staticCategoricals(), d.staticReals(), d.encoderCategoricals(), d.decoderCategoricals(),
                d.encoderReals(), d.decoderReals(), d.flatCategoricals(), d.reals(), d.cardinalities(),
                d.variableGroups(), f.intMap("embedding_sizes"), f.bool("causal_attention", true), transformation, seed);
    }

    /** Trainer settings from the config's "training" and "model" sections, PTF's names and defaults. */
    static TrainerSettings.Builder trainerSettings(TrainingConfig config) {
        JsonFields t = new JsonFields(config.training(), "config \"training\" section");
        JsonFields m = new JsonFields(config.model(), "config \"model\" section");
        TrainerSettings.Builder b = TrainerSettings.builder()
                .maxEpochs(t.integer("max_epochs", 30))
                .gradientClipVal(t.number("gradient_clip_val", 0.1))
                .optimizer(m.string("optimizer", "ranger").toLowerCase(java.util.Locale.ROOT))
                .learningRate(m.number("learning_rate", 1e-3))
                .weightDecay(m.number("weight_decay", 0))
                .reduceOnPlateau(m.integer("reduce_on_plateau_patience", 1000),
                        m.number("reduce_on_plateau_factor", 0.2), m.number("reduce_on_plateau_min_lr", 1e-5))
                .earlyStopping(t.integer("early_stopping_patience", 10), t.number("early_stopping_min_delta", 1e-4))
                .seed(t.integer("seed", 42))
                .skipNonFiniteBatches(t.bool("skip_non_finite_batches", false));
        if (t.has("limit_train_batches")) {
            // Lightning's rule: an integer is a number of batches, a float a fraction of the epoch.
            Object limit = config.training().get("limit_train_batches");
            if (limit instanceof Long count) {
                b.limitTrainBatchCount(Math.toIntExact(count));
            } else {
                b.limitTrainBatches(t.number("limit_train_batches"));
            }
        }
        if (t.has("workers")) {
            b.workers(t.integer("workers"));
        }
        return b;
    }

    static int batchSize(TrainingConfig config) {
        return new JsonFields(config.training(), "config \"training\" section").integer("batch_size", 128);
    }

    /** A data batch as the model and trainer take it. */
    static TrainingBatch toTraining(Batch b) {
        ModelInputs inputs = new ModelInputs(b.encoderCat, b.encoderCont, b.decoderCat, b.decoderCont,
                ints(b.encoderLengths), ints(b.decoderLengths), b.targetScale);
        return new TrainingBatch(inputs, b.decoderTarget);
    }

    static int[] ints(Tensor t) {
        float[] f = t.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
        }
        return out;
    }

    /** The trainer's view of a config's datasets: shuffled training batches and predict-mode validation. */
    static final class DatasetTrainingData implements TrainingData {
        private final TimeSeriesDataSet training;
        private final BatchLoader loader;
        private final List<TrainingBatch> validation = new ArrayList<>();

        DatasetTrainingData(TrainingConfig.Datasets sets, int batchSize, long seed) {
            this.training = sets.training();
            this.loader = training.trainLoader(batchSize, seed);
            for (Batch b : sets.validation().predictLoader(Math.max(batchSize, 64))) {
                validation.add(toTraining(b));
            }
        }

        @Override
        public int batchesPerEpoch() {
            return loader.batchCount();
        }

        @Override
        public TrainingBatch trainingBatch(int epoch, int index) {
            return toTraining(training.collate(loader.windows(epoch, index)));
        }

        @Override
        public List<TrainingBatch> validationBatches() {
            return validation;
        }
    }

    /** The sections saved in model.json beside the model: what predict needs to prepare new data. */
    static Map<String, Object> checkpointSections(TrainingConfig config, TimeSeriesDataSet training) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dataset", training.description().toJson());
        s.put("preprocessing", training.preprocessing().toJson());
        // the whole data section: predict reads new tables with the same dtypes, CSV options and derived columns
        s.put("config", Map.of("file", config.file().toString(), "data", config.data(),
                "model", config.model(), "training", config.training()));
        return s;
    }
}
