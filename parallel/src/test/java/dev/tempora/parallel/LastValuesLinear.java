package dev.tempora.parallel;

import dev.tempora.autograd.Variable;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.JsonFields;
import dev.tempora.models.Linear;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.ModelKinds;
import dev.tempora.models.ModelOutput;
import dev.tempora.models.Module;
import dev.tempora.models.QuantileLoss;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A second kind of forecasting model, written against {@link ForecastingModel} alone: the last
 * {@code lookback} valid encoder values of the (normalised) target, one Linear to horizon × quantiles,
 * de-normalised with the target scale; trained on the quantile loss. It has no dropout, so train and
 * eval mode compute the same.
 */
final class LastValuesLinear extends Module implements ForecastingModel {

    static final String KIND = "LastValuesLinear";

    static {
        ModelKinds.register(KIND, LastValuesLinear::fromConfig);
    }

    private final int lookback;
    private final int horizon;
    private final int targetColumn;
    private final long seed;
    private final QuantileLoss quantileLoss;
    private final Linear output;

    LastValuesLinear(int lookback, int horizon, int targetColumn, List<Float> quantiles, long seed) {
        this.lookback = lookback;
        this.horizon = horizon;
        this.targetColumn = targetColumn;
        this.seed = seed;
        this.quantileLoss = new QuantileLoss(quantiles);
        this.output = module("output_layer", new Linear(lookback, horizon * quantiles.size(), true,
                new SplittableRandom(seed)));
    }

    private static ForecastingModel fromConfig(Map<String, Object> config) {
        JsonFields f = new JsonFields(config, "LastValuesLinear config");
        List<Float> quantiles = new ArrayList<>();
        for (Object q : f.list("quantiles")) {
            quantiles.add(((Number) q).floatValue());
        }
        return new LastValuesLinear(f.integer("lookback"), f.integer("horizon"), f.integer("target_column"), quantiles,
                (long) f.number("seed"));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<Float> quantiles() {
        return quantileLoss.quantiles();
    }

    @Override
    public ModelOutput forward(ModelInputs inputs, boolean interpret) {
        int b = inputs.batchSize();
        int steps = inputs.decoderSteps();
        if (steps > horizon) {
            throw new IllegalArgumentException(steps + " decoder steps, the model forecasts " + horizon);
        }
        // The last `lookback` valid encoder steps of the target, zeros before a shorter encoder.
        float[] window = new float[b * lookback];
        for (int i = 0; i < b; i++) {
            int length = inputs.encoderLengths()[i];
            for (int k = 0; k < Math.min(lookback, length); k++) {
                window[i * lookback + lookback - 1 - k] = inputs.encoderCont().get(i, length - 1 - k, targetColumn);
            }
        }
        int nq = quantileLoss.quantiles().size();
        Variable y = output.forward(Variable.constant(Tensor.wrap(window, b, lookback)))
                .reshape(b, horizon, nq).narrow(1, 0, steps);
        Tensor scale = inputs.targetScale();
        Variable center = Variable.constant(scale.narrow(1, 0, 1).reshape(b, 1, 1));
        Variable spread = Variable.constant(scale.narrow(1, 1, 1).reshape(b, 1, 1));
        return new ModelOutput.Prediction(y.mul(spread).add(center));
    }

    @Override
    public Variable loss(Variable prediction, Tensor target, Tensor weight, int[] decoderLengths, long validSteps) {
        return quantileLoss.forward(prediction, target, weight, decoderLengths, validSteps);
    }

    @Override
    public Map<String, Object> configJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lookback", (long) lookback);
        m.put("horizon", (long) horizon);
        m.put("target_column", (long) targetColumn);
        List<Object> q = new ArrayList<>();
        for (Float f : quantiles()) {
            q.add((double) f);
        }
        m.put("quantiles", q);
        m.put("seed", seed);
        return m;
    }
}
