package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.Map;

/**
 * NLinear (Zeng et al., AAAI 2023): the look-back window minus its last value, one Linear(L → H · quantiles),
 * plus the last value again, so that a level shift between training and test data passes straight through.
 * With quantile outputs the last value is added back to every quantile. See {@link LinearForecaster} for the
 * window and the de-normalisation. Weights: {@code linear.weight} (H · quantiles, L) and {@code linear.bias}.
 */
public final class NLinear extends LinearForecaster {

    /** The model's {@linkplain ForecastingModel#kind() kind}, as the paper names it. */
    public static final String KIND = "NLinear";

    private final Linear linear;

    /**
     * A freshly initialised model (torch's Linear initialisation), drawing its weights from {@code config.seed()}.
     *
     * @param config the look-back, horizon, target column and quantiles
     */
    public NLinear(LinearForecasterConfig config) {
        super(config);
        this.linear = module("linear", new Linear(config.encoderLength(), config.outputSize(), true,
                Tensor.generator(config.seed())));
    }

    /**
     * Rebuilds a model from its {@link #configJson()}.
     *
     * @param json the config as model.json stores it
     * @return a freshly initialised model
     * @throws IllegalArgumentException naming a missing or bad key
     */
    public static NLinear fromConfigJson(Map<String, Object> json) {
        return new NLinear(LinearForecasterConfig.fromJson(json, "NLinear config"));
    }

    @Override
    Variable forecast(Tensor windows) {
        int b = windows.size(0);
        int length = windows.size(1);
        float[] x = windows.contiguous().toFloatArray();
        float[] last = new float[b];
        for (int i = 0; i < b; i++) {
            last[i] = x[i * length + length - 1];
            for (int t = 0; t < length; t++) {
                x[i * length + t] -= last[i];
            }
        }
        return linear.forward(Variable.constant(Tensor.wrap(x, b, length)))
                .add(Variable.constant(Tensor.wrap(last, b, 1)));
    }

    /** {@value #KIND}. */
    @Override
    public String kind() {
        return KIND;
    }

    /** The config's JSON ({@link LinearForecasterConfig#toJson}). */
    @Override
    public Map<String, Object> configJson() {
        return config.toJson();
    }

    @Override
    protected String describe() {
        return "NLinear(look-back " + config.encoderLength() + ", horizon " + config.predictionLength() + ", "
                + config.quantiles().size() + " quantiles)";
    }
}
