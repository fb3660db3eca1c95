package dev.tempora.forecast;

import dev.tempora.tensor.Tensor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The rearrangement that makes forecasts monotone in the quantile level (a model's {@code monotone_quantiles}):
 * each step's outputs are sorted and handed out by level, the smallest value to the lowest level, so that a
 * lower quantile never lies above a higher one. The quantile loss does not forbid two outputs to cross, and an
 * undertrained model's do; sorting never raises the summed pinball loss (swapping a crossed pair lowers it by
 * the product of the two differences), and PTF, which does not sort, leaves them crossed.
 */
final class MonotoneQuantiles {

    /** The output positions in increasing order of their levels (levels may be listed in any order). */
    private final int[] byLevel;

    /**
     * @param levels the quantile levels in output order
     */
    MonotoneQuantiles(List<Float> levels) {
        byLevel = IntStream.range(0, levels.size()).boxed()
                .sorted(Comparator.comparing(levels::get)).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The forecasts with each step's quantiles sorted by level.
     *
     * @param forecast (batch, steps, quantiles), the quantiles in the levels' output order
     * @return a new tensor of the same shape
     * @throws IllegalArgumentException when the last dimension does not hold one value per level
     */
    Tensor apply(Tensor forecast) {
        int width = byLevel.length;
        if (forecast.dim() != 3 || forecast.size(2) != width) {
            throw new IllegalArgumentException("monotone quantiles: expected forecasts (batch, steps, " + width
                    + " quantiles), got shape " + Arrays.toString(forecast.shape()));
        }
        float[] values = forecast.toFloatArray(); // a copy, sorted in place
        float[] step = new float[width];
        for (int row = 0; row < values.length; row += width) {
            System.arraycopy(values, row, step, 0, width);
            Arrays.sort(step);
            for (int k = 0; k < width; k++) {
                values[row + byLevel[k]] = step[k];
            }
        }
        return Tensor.wrap(values, forecast.shape());
    }
}
