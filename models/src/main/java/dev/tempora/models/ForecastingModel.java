package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forecasting model as the trainer, the data-parallel engine, inference and checkpoints see it: it
 * takes PyTorch Forecasting's inputs ({@link ModelInputs}), predicts quantiles of the target over the
 * decoder steps, brings its own loss, and has named weights and a JSON config that rebuilds it.
 *
 * <p>A new model is one class: usually a {@link Module} (which already supplies {@link #parameters},
 * {@link #stateDict}, {@link #namedParameters}, {@link #train}, {@link #eval} and {@link #parameterCount})
 * implementing this interface, registered in {@link ModelKinds} under its {@link #kind} so that
 * checkpoints can rebuild it. The kinds here: {@link TemporalFusionTransformer}, {@link NLinear} and
 * {@link DLinear}. For a config's {@code "model": {"kind": ...}} to train it, the library module adds its
 * settings (their keys, and how to make the model from the data set's description): see
 * {@code dev.tempora.forecast.ModelKindSettings}.
 */
public interface ForecastingModel {

    /**
     * The model's kind, as {@code model.json} records it and {@link ModelKinds} rebuilds it: PyTorch
     * Forecasting's class name, e.g. {@code TemporalFusionTransformer}.
     *
     * @return the kind, the same for every instance of the class
     */
    String kind();

    /**
     * The quantiles the model predicts, in the order of the prediction's last dimension.
     *
     * @return the quantiles, each in (0, 1)
     */
    List<Float> quantiles();

    /**
     * Runs the model on a batch. Dropout follows {@link #train} / {@link #eval}; the tape records the
     * forward unless gradients are off ({@code GradMode.noGrad()}).
     *
     * @param inputs    the batch's inputs
     * @param interpret whether to also compute what interpretation needs (a model without such extras
     *                  ignores it)
     * @return the prediction (B, decoder steps, quantiles) in target units, and any extras
     */
    ModelOutput forward(ModelInputs inputs, boolean interpret);

    /**
     * The model's training loss of a prediction (the TFT's is PyTorch Forecasting's quantile loss),
     * each valid decoder step's loss times its weight, averaged over the valid decoder steps (not over
     * the weights' sum, as PTF's metrics average a weighted loss).
     *
     * @param prediction     the prediction (B, Td, quantiles) of {@link #forward}
     * @param target         the target (B, Td) in target units; padded steps are ignored
     * @param weight         the weight (B, Td) of each step (PTF's data set {@code weight}, and the
     *                       per-sample 1 / scale of a loss on the normalised scale), or null for all 1
     * @param decoderLengths the valid decoder steps of each sample
     * @param validSteps     the count to average over: a shard of a batch passes the whole batch's count,
     *                       so the shards' losses (and gradients) add up to the batch's; 0 averages over
     *                       this prediction's own valid steps
     * @return the scalar loss, on the tape when the prediction is
     */
    Variable loss(Variable prediction, Tensor target, Tensor weight, int[] decoderLengths, long validSteps);

    /**
     * The distinct trainable parameters, in state-dict order: what an optimiser updates.
     *
     * @return the parameters, each once even when shared
     */
    List<Variable> parameters();

    /**
     * Every weight by its full dotted name (PyTorch's {@code state_dict} keys); a shared weight appears
     * under each of its names. This is what checkpoints store.
     *
     * @return the weights by name, in a fixed order
     */
    Map<String, Variable> stateDict();

    /**
     * The distinct parameters by their first name in {@link #stateDict}, in its order: what training
     * state files store.
     *
     * @return the distinct parameters by name
     */
    default Map<String, Variable> namedParameters() {
        IdentityHashMap<Variable, Boolean> seen = new IdentityHashMap<>();
        Map<String, Variable> out = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : stateDict().entrySet()) {
            if (seen.put(e.getValue(), Boolean.TRUE) == null) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Training mode: dropout on. */
    void train();

    /** Evaluation mode: dropout off. */
    void eval();

    /**
     * The number of trainable scalars, each shared parameter counted once.
     *
     * @return the count
     */
    long parameterCount();

    /**
     * The model's configuration as JSON-ready values (maps, lists, strings, numbers, booleans): what
     * {@code model.json} stores under {@code "model"} and the model's {@link ModelKinds} factory takes to
     * rebuild it.
     *
     * @return the configuration
     */
    Map<String, Object> configJson();
}
