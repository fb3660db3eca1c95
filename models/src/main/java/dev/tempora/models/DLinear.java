package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * DLinear (Zeng et al., AAAI 2023): the look-back window decomposed into a trend, its moving average, and a
 * seasonal remainder (window − trend); one Linear(L → H · quantiles) for each part, the two outputs summed.
 * The moving average pads both ends by repeating the first and last value ((kernel − 1) / 2 steps each), as
 * the paper's code does, so the trend has the window's length. See {@link LinearForecaster} for the window
 * and the de-normalisation. Weights: {@code linear_seasonal} and {@code linear_trend}, each (H · quantiles, L)
 * with a bias.
 */
public final class DLinear extends LinearForecaster {

    /** The model's {@linkplain ForecastingModel#kind() kind}, as the paper names it. */
    public static final String KIND = "DLinear";

    /** The paper's moving-average kernel (Autoformer's). */
    public static final int DEFAULT_MOVING_AVERAGE_KERNEL = 25;

    /** The key of {@link #movingAverageKernel} in {@link #configJson()}. */
    public static final String MOVING_AVERAGE_KERNEL = "moving_average_kernel";

    /** The moving average's width, odd, in steps. */
    public final int movingAverageKernel;
    private final Linear linearSeasonal;
    private final Linear linearTrend;

    /**
     * A freshly initialised model (torch's Linear initialisation, seasonal layer first), drawing its weights
     * from {@code config.seed()}.
     *
     * @param config              the look-back, horizon, target column and quantiles
     * @param movingAverageKernel the moving average's width: odd, at least 1 (the paper's 25)
     * @throws IllegalArgumentException when the kernel is even or below 1
     */
    public DLinear(LinearForecasterConfig config, int movingAverageKernel) {
        super(config);
        checkKernel(movingAverageKernel);
        this.movingAverageKernel = movingAverageKernel;
        RandomGenerator rng = Tensor.generator(config.seed());
        this.linearSeasonal = module("linear_seasonal", new Linear(config.encoderLength(), config.outputSize(), true, rng));
        this.linearTrend = module("linear_trend", new Linear(config.encoderLength(), config.outputSize(), true, rng));
    }

    /**
     * Checks a moving-average kernel.
     *
     * @param kernel the width
     * @throws IllegalArgumentException when it is even or below 1 (an even kernel would shorten the trend by a step)
     */
    public static void checkKernel(int kernel) {
        if (kernel < 1 || kernel % 2 == 0 || kernel > 2 * LinearForecasterConfig.MAX_LENGTH + 1) {
            throw new IllegalArgumentException(MOVING_AVERAGE_KERNEL + " must be an odd number of steps between 1 and "
                    + (2 * LinearForecasterConfig.MAX_LENGTH + 1) + " (the paper's is 25), got " + kernel);
        }
    }

    /**
     * Rebuilds a model from its {@link #configJson()}.
     *
     * @param json the config as model.json stores it
     * @return a freshly initialised model
     * @throws IllegalArgumentException naming a missing or bad key
     */
    public static DLinear fromConfigJson(Map<String, Object> json) {
        Map<String, Object> linear = new LinkedHashMap<>(json);
        Object kernel = linear.remove(MOVING_AVERAGE_KERNEL);
        if (!(kernel instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("DLinear config: \"" + MOVING_AVERAGE_KERNEL + "\" must be an integer, got " + kernel);
        }
        return new DLinear(LinearForecasterConfig.fromJson(linear, "DLinear config"), n.intValue());
    }

    /**
     * The trend of each window: the moving average over {@code kernel} steps centred on each step, the window
     * padded at both ends by repeating its first and last value (the paper's {@code moving_avg}).
     *
     * @param windows the windows (B, L)
     * @param kernel  the width, odd
     * @return the trend (B, L)
     */
    public static Tensor movingAverage(Tensor windows, int kernel) {
        checkKernel(kernel);
        int b = windows.size(0);
        int length = windows.size(1);
        float[] x = windows.contiguous().toFloatArray();
        float[] trend = new float[b * length];
        int half = (kernel - 1) / 2;
        for (int i = 0; i < b; i++) {
            int row = i * length;
            for (int t = 0; t < length; t++) {
                double sum = 0;
                for (int k = t - half; k <= t + half; k++) {
                    sum += x[row + Math.clamp(k, 0, length - 1)];
                }
                trend[row + t] = (float) (sum / kernel);
            }
        }
        return Tensor.wrap(trend, b, length);
    }

    @Override
    Variable forecast(Tensor windows) {
        Tensor trend = movingAverage(windows, movingAverageKernel);
        Tensor seasonal = windows.sub(trend);
        return linearSeasonal.forward(Variable.constant(seasonal)).add(linearTrend.forward(Variable.constant(trend)));
    }

    /** {@value #KIND}. */
    @Override
    public String kind() {
        return KIND;
    }

    /** The config's JSON ({@link LinearForecasterConfig#toJson}) with {@value #MOVING_AVERAGE_KERNEL}. */
    @Override
    public Map<String, Object> configJson() {
        Map<String, Object> m = config.toJson();
        m.put(MOVING_AVERAGE_KERNEL, (long) movingAverageKernel);
        return m;
    }

    @Override
    protected String describe() {
        return "DLinear(look-back " + config.encoderLength() + ", horizon " + config.predictionLength() + ", "
                + config.quantiles().size() + " quantiles, moving average " + movingAverageKernel + ")";
    }
}
