package dev.tempora.forecast;

import dev.tempora.data.DatasetDescription;
import dev.tempora.models.ForecastingModel;

import java.util.List;
import java.util.Map;

/**
 * The settings of one model kind: what a config's "model" section holds for it, and how to make that model
 * for a data set. The section's {@value #KIND_KEY} chooses the kind ({@code "model": {"kind": "NLinear"}});
 * without it the model is the {@link ModelSettings Temporal Fusion Transformer}. Each kind has its own keys,
 * checked strictly: a key of another kind is refused with a message saying this kind has no such setting,
 * any other unknown key with the closest known one.
 *
 * <table>
 *   <caption>The kinds</caption>
 *   <tr><th>kind</th><th>settings</th><th>model</th></tr>
 *   <tr><td>TemporalFusionTransformer (default)</td><td>{@link ModelSettings}</td>
 *       <td>{@link dev.tempora.models.TemporalFusionTransformer}</td></tr>
 *   <tr><td>NLinear, DLinear</td><td>{@link LinearModelSettings}</td>
 *       <td>{@link dev.tempora.models.NLinear}, {@link dev.tempora.models.DLinear}</td></tr>
 *   <tr><td>NHiTS</td><td>{@link NHitsSettings}</td><td>{@link dev.tempora.models.NHits}</td></tr>
 *   <tr><td>GradientBoostedTrees</td><td>{@link TreeModelSettings}</td><td>{@link dev.tempora.models.GradientBoostedTrees}</td></tr>
 * </table>
 *
 * <p>{@link TrainingJob} sizes the run ({@link #parameterCount}, {@link #activationsPerWindow}) and makes the
 * model ({@link #create}) through this interface alone, and model.json's config section keeps
 * {@link #toJson}; {@link TrainedModel#load} rebuilds the model from the kind model.json records, through
 * {@link dev.tempora.models.ModelKinds}.
 *
 * <p>Adding a kind takes three steps: (1) the model, a {@link ForecastingModel} registered in
 * {@link dev.tempora.models.ModelKinds} under its kind; (2) its settings, a record implementing this interface
 * with a {@code fromJson} that reads its keys and a {@link #create} that builds the model from the data set's
 * description; (3) one entry in the table of kinds ({@code ModelSection.KINDS}: the kind, its keys and its
 * {@code fromJson}).
 */
public interface ModelKindSettings {

    /** The "model" key that chooses the kind. */
    String KIND_KEY = "kind";

    /**
     * Reads a config's "model" section as the settings of the kind its {@value #KIND_KEY} names (default
     * TemporalFusionTransformer). The trainer's keys (learning_rate, optimizer, ...) are left to the trainer.
     *
     * @param section the "model" section as parsed JSON
     * @return the kind's settings
     * @throws IllegalArgumentException naming an unknown kind (and the known ones), a key the kind does not
     *                                  have, a key with a wrong type or a value out of range
     */
    static ModelKindSettings fromJson(Map<String, Object> section) {
        return ModelSection.read(section);
    }

    /**
     * The kinds a config may choose, in the order the reference lists them.
     *
     * @return the kinds' names
     */
    static List<String> kinds() {
        return ModelSection.kinds();
    }

    /**
     * The kind, as the config and model.json name it.
     *
     * @return the {@link ForecastingModel#kind()} of the models {@link #create} makes
     */
    String kind();

    /**
     * The settings as a config's "model" section, {@value #KIND_KEY} included (what {@link #fromJson} reads back
     * and model.json's config section keeps).
     *
     * @return the section
     */
    Map<String, Object> toJson();

    /**
     * A new model for a data set, with freshly initialised weights.
     *
     * @param description the training data set's description (variables, lengths, target normaliser)
     * @param seed        the initialisation seed
     * @return the model
     * @throws IllegalArgumentException when the data set does not give the model what it reads (the message
     *                                  says what to change)
     */
    ForecastingModel create(DatasetDescription description, long seed);

    /**
     * The parameter count of the model {@link #create} would make, computed without making it, so that a run
     * too large for the heap is refused before it allocates.
     *
     * @param description the training data set's description
     * @return the number of trainable scalars
     */
    long parameterCount(DatasetDescription description);

    /**
     * An upper estimate of the floats one window keeps between the forward and the backward pass in training.
     *
     * @param description the training data set's description (its lengths decide the windows' steps)
     * @return floats per window
     */
    long activationsPerWindow(DatasetDescription description);
}
