package dev.tempora.cli;

import dev.tempora.data.Frame;
import dev.tempora.data.Preprocessing;
import dev.tempora.data.TrainingConfig;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.ForecastingModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model directory written by train or demo: the TFT, the preprocessing fitted on its training data
 * (model.json "preprocessing") and the config's data options (model.json "config"."data": dtypes, CSV
 * options, derived columns), which together prepare new data exactly as the training data was.
 */
record TrainedModel(Path directory, ForecastingModel model, Preprocessing preprocessing,
                    Map<String, Object> dataOptions) {

    static TrainedModel load(Path directory) {
        Checkpoint.Loaded loaded;
        try {
            loaded = Checkpoint.load(directory);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "not found")
                    + " (--model takes a directory written by tempora train or tempora demo)");
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        String where = directory.resolve(Checkpoint.METADATA_FILE).toString();
        Object pre = loaded.sections().get("preprocessing");
        if (!(pre instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + ": no \"preprocessing\" section; the model cannot prepare new data "
                    + "(it was not saved by tempora train or tempora demo)");
        }
        @SuppressWarnings("unchecked")
        Preprocessing preprocessing = Preprocessing.fromJson((Map<String, Object>) pre);
        Map<String, Object> dataOptions = Map.of();
        if (loaded.sections().get("config") instanceof Map<?, ?> config && config.get("data") instanceof Map<?, ?> data) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) data;
            dataOptions = d;
        }
        return new TrainedModel(directory, loaded.model(), preprocessing, dataOptions);
    }

    /** A user's table, read and derived as the training data was. */
    Frame readTable(Path file) {
        return TrainingConfig.readTable(file, dataOptions, directory.resolve(Checkpoint.METADATA_FILE) + ": config.data");
    }

    List<Float> quantiles() {
        return model.quantiles();
    }
}
