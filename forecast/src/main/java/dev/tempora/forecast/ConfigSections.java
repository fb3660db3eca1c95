package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.models.JsonFields;
import dev.tempora.models.ModelInputs;
import dev.tempora.parallel.LossScale;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.tensor.Tensor;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The config sections that the data module does not read: the trainer's settings from the "training"
 * section and the optimiser keys of the "model" section (PTF passes those to the model), and the
 * conversion of data batches into the trainer's.
 */
final class ConfigSections {

    /** The keys of the "training" section: the trainer's settings and the batch size. */
    static final List<String> TRAINING_KEYS = List.of("max_epochs", "gradient_clip_val", "early_stopping_patience",
            "early_stopping_min_delta", "seed", "skip_non_finite_batches", "limit_train_batches", "workers", "batch_size",
            "loss_scale", "refit");

    private ConfigSections() {}

    /** The "training" section's reader: refuses unknown keys, naming the closest known one. */
    private static JsonFields trainingFields(Map<String, Object> training) {
        return new JsonFields(training, TRAINING_WHERE, "training", TRAINING_KEYS);
    }

    private static final String TRAINING_WHERE = "config \"training\" section";

    /** Trainer settings from the config's "training" and "model" sections, PTF's names and defaults. */
    static TrainerSettings.Builder trainerSettings(Map<String, Object> training, Map<String, Object> model) {
        JsonFields t = trainingFields(training);
        // The model's own keys are the kind's settings, checked by ModelKindSettings.fromJson; the trainer reads its own.
        Map<String, Object> trainerKeys = new java.util.LinkedHashMap<>(model);
        trainerKeys.keySet().retainAll(ModelSettings.TRAINER_KEYS);
        JsonFields m = new JsonFields(trainerKeys, "config \"model\" section", "model", ModelSettings.TRAINER_KEYS);
        TrainerSettings.Builder b = TrainerSettings.builder()
                .maxEpochs(t.integer("max_epochs", 30))
                // Lightning's gradient_clip_val=None means no clipping.
                .gradientClipVal(nullMeans(training, "gradient_clip_val", 0.0, t))
                .optimizer(m.string("optimizer", "ranger").toLowerCase(Locale.ROOT))
                .learningRate(m.number("learning_rate", 1e-3))
                .weightDecay(m.number("weight_decay", 0))
                .reduceOnPlateau(m.integer("reduce_on_plateau_patience", 1000),
                        m.number("reduce_on_plateau_factor", 0.2), m.number("reduce_on_plateau_min_lr", 1e-5))
                .earlyStopping(t.integer("early_stopping_patience", 10), t.number("early_stopping_min_delta", 1e-4))
                .seed(t.integer("seed", 42))
                .skipNonFiniteBatches(t.bool("skip_non_finite_batches", false));
        limitTrainBatches(training, t, b);
        if (training.containsKey("workers")) {
            b.workers(t.integer("workers"));
        }
        if (training.get("loss_scale") != null) {
            try {
                b.lossScale(LossScale.parse(t.string("loss_scale")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TRAINING_WHERE + ": " + e.getMessage(), e);
            }
        }
        return b;
    }

    /** The "training" section's refit: retrain on the training and validation rows for the best epoch count (default false). */
    static boolean refit(Map<String, Object> training) {
        return trainingFields(training).bool("refit", false);
    }

    /** The value of a key whose null, in Lightning, means "off": {@code off} then, else the number (default 0.1). */
    private static double nullMeans(Map<String, Object> section, String key, double off, JsonFields fields) {
        return section.containsKey(key) && section.get(key) == null ? off : fields.number(key, 0.1);
    }

    /** Lightning's limit_train_batches: an integer is a number of batches, a float a fraction of the epoch, null all. */
    private static void limitTrainBatches(Map<String, Object> training, JsonFields t, TrainerSettings.Builder b) {
        Object limit = training.get("limit_train_batches");
        if (limit == null) {
            return;
        }
        if (limit instanceof Long count) {
            if (count < 1 || count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("config \"training\" section: \"limit_train_batches\" as a number of "
                        + "batches must be between 1 and " + Integer.MAX_VALUE + ", got " + count
                        + " (leave it out or write 1.0 to train on every batch)");
            }
            b.limitTrainBatchCount(count.intValue());
            return;
        }
        double fraction = t.number("limit_train_batches");
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("config \"training\" section: \"limit_train_batches\" as a fraction of the "
                    + "epoch must be in (0, 1], got " + fraction + " (a whole number such as 30 counts batches)");
        }
        b.limitTrainBatches(fraction);
    }

    /** The "training" section's batch_size (PTF's default in the seed: 128). */
    static int batchSize(Map<String, Object> training) {
        int size = trainingFields(training).integer("batch_size", 128);
        if (size < 1) {
            throw new IllegalArgumentException("config \"training\" section: \"batch_size\" must be at least 1, got " + size);
        }
        return size;
    }

    /** A data batch as the model and trainer take it, with the data set's weights (null without a weight column). */
    static TrainingBatch toTraining(Batch b) {
        ModelInputs inputs = new ModelInputs(b.encoderCat, b.encoderCont, b.decoderCat, b.decoderCont,
                ints(b.encoderLengths), ints(b.decoderLengths), b.targetScale);
        return new TrainingBatch(inputs, b.decoderTarget, b.weight);
    }

    /** A tensor of whole numbers as ints. */
    static int[] ints(Tensor t) {
        float[] f = t.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
        }
        return out;
    }
}
