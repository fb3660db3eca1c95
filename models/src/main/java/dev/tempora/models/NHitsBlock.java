package dev.tempora.models;

import dev.tempora.autograd.Functional;
import dev.tempora.autograd.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One N-HiTS block, as PyTorch Forecasting's {@code NHiTSBlock} with an identity basis: pool the
 * residual input (kernel = stride = the stack's pooling size, ceil mode), an MLP of {@code n_layers}
 * hidden layers (Linear, activation, dropout), and a Linear to θ: the backcast (one value per encoder
 * step) followed by each quantile's forecast knots; the knots are interpolated to the horizon.
 *
 * <p>Parameter names follow PTF's {@code nn.Sequential}: {@code layers.<i>.weight} where i counts the
 * activations and dropouts too ({@code layers.0}, {@code layers.2}, {@code layers.4} with two hidden
 * layers and no dropout).
 */
final class NHitsBlock extends Module {

    private final NHitsConfig config;
    private final int poolingSize;
    private final int knots;
    private final List<Linear> hidden = new ArrayList<>();
    private final List<Dropout> dropouts = new ArrayList<>();
    private final Linear output;

    /** The block's backcast (B, context_length) and forecast (B, prediction_length, quantiles). */
    record Output(Variable backcast, Variable forecast) {}

    /**
     * A freshly initialised block of stack {@code stack} (torch's default Linear initialisation, PTF's
     * {@code lecun_normal} choice, which leaves it as it is).
     */
    NHitsBlock(NHitsConfig config, int stack, RandomGenerator rng) {
        this.config = config;
        this.poolingSize = config.poolingSizes().get(stack);
        this.knots = config.knots(stack);
        int pooled = (config.contextLength() + poolingSize - 1) / poolingSize;
        int width = config.hiddenSize();
        Layers layers = module("layers", new Layers());
        int index = 0;
        for (int layer = 0; layer < config.nLayers().get(stack); layer++) {
            hidden.add(layers.add(index++, new Linear(layer == 0 ? pooled : width, width, true, rng)));
            index++; // the activation
            if (config.dropout() > 0f) {
                dropouts.add(layers.add(index++, new Dropout(config.dropout())));
            }
        }
        int theta = config.contextLength() + knots * config.quantiles().size();
        output = layers.add(index, new Linear(width, theta, true, rng));
    }

    /**
     * Runs the block on the residual input.
     *
     * @param residual the normalised target history not yet explained by earlier blocks (B, context_length)
     * @return the backcast and the forecast
     */
    Output forward(Variable residual) {
        int b = residual.size(0);
        int length = config.contextLength();
        int quantiles = config.quantiles().size();
        Variable h = config.poolingMode().equals("max") ? Functional.maxPool1d(residual, poolingSize)
                : Functional.avgPool1d(residual, poolingSize);
        for (int layer = 0; layer < hidden.size(); layer++) {
            h = activate(hidden.get(layer).forward(h));
            if (!dropouts.isEmpty()) {
                h = dropouts.get(layer).forward(h);
            }
        }
        Variable theta = output.forward(h);                                     // (B, L + knots·Q)
        Variable backcast = theta.narrow(1, 0, length);
        // Each quantile's knots in turn, as PTF's reshape(-1, n_theta) reads them.
        Variable knotsPerQuantile = theta.narrow(1, length, knots * quantiles).reshape(b * quantiles, knots);
        int horizon = config.predictionLength();
        Variable forecast = config.interpolationMode().equals("linear")
                ? Functional.interpolateLinear(knotsPerQuantile, horizon)
                : Functional.interpolateNearest(knotsPerQuantile, horizon);
        return new Output(backcast, forecast.reshape(b, quantiles, horizon).transpose(1, 2));
    }

    private Variable activate(Variable x) {
        return switch (config.activation()) {
            case "ReLU" -> x.relu();
            case "Softplus" -> x.softplus();
            case "Tanh" -> x.tanh();
            case "Sigmoid" -> x.sigmoid();
            default -> throw new IllegalStateException("activation " + config.activation() + " passed the config's check");
        };
    }

    @Override
    protected String describe() {
        return "NHiTSBlock(pooling " + poolingSize + ", " + hidden.size() + " hidden layers, " + knots + " knots)";
    }

    /** PTF's {@code nn.Sequential}: members named by their position, stateless ones (activations) left out. */
    private static final class Layers extends Module {
        <M extends Module> M add(int index, M m) {
            return module(Integer.toString(index), m);
        }

        @Override
        protected String describe() {
            return "Sequential";
        }
    }
}
