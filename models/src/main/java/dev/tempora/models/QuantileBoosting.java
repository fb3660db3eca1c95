package dev.tempora.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Gradient boosting of regression trees for one quantile of the target (Friedman's gradient boosting with the
 * pinball loss, as LightGBM's {@code objective=quantile}): each round fits a tree to the loss's negative
 * gradient (q where the target lies above the prediction, q − 1 below) by weighted least squares, then sets each
 * leaf to the weighted q-quantile of the residuals of its rows (the step that minimises the pinball loss in the
 * leaf), times the learning rate. Splits are searched on histograms of quantile-binned features (NaN in a bin
 * of its own, always sent left), with row and feature subsampling per tree drawn from the seed.
 *
 * <p>Work per tree: one pass over the sampled rows per tree level, each row adding to the histogram of every usable
 * feature (O(rows · features · depth)); a row's bin codes lie side by side, so the pass reads memory in order.
 */
public final class QuantileBoosting {

    /**
     * The booster's settings.
     *
     * @param trees            boosting rounds
     * @param learningRate     each tree's leaf values are scaled by it
     * @param maxDepth         the deepest split level (a tree has at most 2^maxDepth leaves)
     * @param minLeafRows      the fewest rows a leaf may hold
     * @param rowSubsample     the share of rows each tree sees, in (0, 1]
     * @param featureSubsample the share of features each tree may split on, in (0, 1] (at least one)
     * @param bins             histogram bins per feature, 2 to 255 (one more holds NaN)
     * @param seed             draws the subsamples
     */
    public record Settings(int trees, double learningRate, int maxDepth, int minLeafRows, double rowSubsample,
                           double featureSubsample, int bins, long seed) {

        /** Checks each setting's range, naming it. */
        public Settings {
            require(trees >= 1, "trees must be at least 1, got " + trees);
            require(learningRate > 0 && learningRate <= 1, "learning_rate must be in (0, 1], got " + learningRate);
            require(maxDepth >= 1 && maxDepth <= 16, "max_depth must be 1 to 16, got " + maxDepth);
            require(minLeafRows >= 1, "min_leaf_rows must be at least 1, got " + minLeafRows);
            require(rowSubsample > 0 && rowSubsample <= 1, "row_subsample must be in (0, 1], got " + rowSubsample);
            require(featureSubsample > 0 && featureSubsample <= 1, "feature_subsample must be in (0, 1], got " + featureSubsample);
            require(bins >= 2 && bins <= 255, "bins must be 2 to 255, got " + bins);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    private QuantileBoosting() {}

    /**
     * Fits trees for the {@code quantile}-quantile of {@code target} given {@code features}.
     *
     * @param features rows × features (NaN for a missing value); every row has the same length
     * @param target   each row's target, finite
     * @param weight   each row's weight in the loss, finite and not negative (null: all 1)
     * @param quantile the quantile level, in (0, 1)
     * @param settings the booster's settings
     * @return the fitted trees
     * @throws IllegalArgumentException naming the first bad row or value
     */
    public static TreeEnsemble fit(float[][] features, float[] target, float[] weight, float quantile, Settings settings) {
        int n = check(features, target, weight, quantile);
        float[] w = weight != null ? weight : filled(n, 1f);
        Bins bins = Bins.of(features, settings.bins());
        double[] prediction = new double[n];
        float base = (float) weightedQuantile(toDouble(target), w, allRows(n), quantile);
        Arrays.fill(prediction, base);
        Builder out = new Builder();
        SplittableRandom random = new SplittableRandom(settings.seed());
        float[] gradient = new float[n];
        double[] residual = new double[n];
        for (int t = 0; t < settings.trees(); t++) {
            for (int i = 0; i < n; i++) {
                gradient[i] = target[i] > prediction[i] ? quantile : quantile - 1;
                residual[i] = target[i] - prediction[i];
            }
            int[] rows = sample(n, settings.rowSubsample(), random);
            boolean[] usable = sampleFeatures(bins.featureCount(), settings.featureSubsample(), random);
            Grower grower = new Grower(bins, gradient, w, residual, quantile, usable, settings, out);
            out.startTree();
            grower.grow(rows, 0);
            int root = out.lastTreeStart();
            for (int i = 0; i < n; i++) {
                prediction[i] += out.value[leaf(out, root, features[i])];
            }
        }
        return out.build(base);
    }

    /** A split of a node's rows: bins up to {@code bin} of {@code feature} go left. */
    record Split(int feature, int bin, double gain) {}

    /**
     * The best split of {@code rows} by weighted least squares on {@code gradient}: the largest
     * G_L²/W_L + G_R²/W_R − G²/W over the usable features and bin boundaries with at least
     * {@code minLeafRows} rows on each side, or null when no split gains. Ties keep the first feature and bin.
     */
    static Split bestSplit(Bins bins, int[] rows, float[] gradient, float[] weight, boolean[] usable, int minLeafRows) {
        int m = rows.length;
        double[] rowG = new double[m];
        double[] rowW = new double[m];
        double sumG = 0;
        double sumW = 0;
        for (int k = 0; k < m; k++) {
            int i = rows[k];
            rowG[k] = (double) weight[i] * gradient[i];
            rowW[k] = weight[i];
            sumG += rowG[k];
            sumW += rowW[k];
        }
        if (m < 2 * minLeafRows || sumW <= 0) {
            return null;
        }
        double parent = sumG * sumG / sumW;
        int features = bins.featureCount();
        int binCount = bins.maxBins();
        int[] used = new int[features];
        int usedCount = 0;
        for (int f = 0; f < features; f++) {
            if (usable[f]) {
                used[usedCount++] = f;
            }
        }
        // One pass over the rows fills every usable feature's histogram: a row's codes lie side by side
        // (Bins.rowCodes), where a pass per feature would read one byte per cache line. Each bin still adds its
        // rows in the order of `rows`, so the sums are the same as feature by feature.
        double[] histG = new double[features * binCount];
        double[] histW = new double[features * binCount];
        int[] histN = new int[features * binCount];
        byte[] codes = bins.rowCodes;
        for (int k = 0; k < m; k++) {
            int base = rows[k] * features;
            double g = rowG[k];
            double w = rowW[k];
            for (int u = 0; u < usedCount; u++) {
                int f = used[u];
                int at = f * binCount + (codes[base + f] & 0xFF);
                histG[at] += g;
                histW[at] += w;
                histN[at]++;
            }
        }
        Split best = null;
        for (int u = 0; u < usedCount; u++) {
            int f = used[u];
            int offset = f * binCount;
            double leftG = 0;
            double leftW = 0;
            int leftN = 0;
            for (int b = 0; b < bins.binCount(f) - 1; b++) {
                leftG += histG[offset + b];
                leftW += histW[offset + b];
                leftN += histN[offset + b];
                int rightN = m - leftN;
                double rightW = sumW - leftW;
                if (leftN < minLeafRows || rightN < minLeafRows || leftW <= 0 || rightW <= 0) {
                    continue;
                }
                double rightG = sumG - leftG;
                double gain = leftG * leftG / leftW + rightG * rightG / rightW - parent;
                if (gain > 1e-12 * Math.max(1, Math.abs(parent)) && (best == null || gain > best.gain())) {
                    best = new Split(f, b, gain);
                }
            }
        }
        return best;
    }

    /**
     * The weighted q-quantile of {@code values} over {@code rows}: the smallest value whose rows' cumulative weight,
     * in increasing order of value, reaches q times the total (the minimiser of the weighted pinball loss).
     */
    static double weightedQuantile(double[] values, float[] weight, int[] rows, double q) {
        int[] order = sortedByValue(values, rows);
        double total = 0;
        for (int i : rows) {
            total += weight[i];
        }
        double reach = q * total;
        double cumulative = 0;
        for (int i : order) {
            cumulative += weight[i];
            if (cumulative >= reach && weight[i] > 0) {
                return values[i];
            }
        }
        return values[order[order.length - 1]];
    }

    /**
     * {@code rows} in increasing order of {@code values} (by {@link Double#compare}), rows of equal value in their
     * given order: a stable merge sort on primitives, so ties add their weights in the same order every time.
     */
    static int[] sortedByValue(double[] values, int[] rows) {
        int n = rows.length;
        int[] a = rows.clone();
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                for (int k = lo; k < hi; k++) {
                    // the left run's row wins ties: stable
                    b[k] = i < mid && (j >= hi || Double.compare(values[a[i]], values[a[j]]) <= 0) ? a[i++] : a[j++];
                }
            }
            int[] swap = a;
            a = b;
            b = swap;
        }
        return a;
    }

    /** Grows one tree depth-first into the builder. */
    private record Grower(Bins bins, float[] gradient, float[] weight, double[] residual, float quantile,
                          boolean[] usable, Settings settings, Builder out) {

        int grow(int[] rows, int depth) {
            int node = out.addNode();
            Split split = depth < settings.maxDepth() ? bestSplit(bins, rows, gradient, weight, usable, settings.minLeafRows()) : null;
            if (split == null) {
                out.value[node] = (float) (settings.learningRate() * weightedQuantile(residual, weight, rows, quantile));
                return node;
            }
            int features = bins.featureCount();
            int leftCount = 0;
            for (int i : rows) {
                leftCount += (bins.rowCodes[i * features + split.feature()] & 0xFF) <= split.bin() ? 1 : 0;
            }
            int[] left = new int[leftCount];
            int[] right = new int[rows.length - leftCount];
            int l = 0;
            int r = 0;
            for (int i : rows) {
                if ((bins.rowCodes[i * features + split.feature()] & 0xFF) <= split.bin()) {
                    left[l++] = i;
                } else {
                    right[r++] = i;
                }
            }
            out.feature[node] = split.feature();
            out.threshold[node] = bins.threshold(split.feature(), split.bin());
            int leftChild = grow(left, depth + 1);
            int rightChild = grow(right, depth + 1);
            out.left[node] = leftChild;
            out.right[node] = rightChild;
            return node;
        }
    }

    /**
     * Quantile bins of each feature: code 0 holds NaN, code k ≥ 1 the values in (cut[k−2], cut[k−1]] (the first
     * from −∞, the last to +∞), so "code ≤ b" is "NaN or x ≤ cut[b−1]" for b ≥ 1 and "NaN" for b = 0.
     */
    static final class Bins {
        /** Each row's codes side by side: row i's code of feature f at {@code i · featureCount + f}. */
        final byte[] rowCodes;
        final float[][] cuts;

        private Bins(byte[] rowCodes, float[][] cuts) {
            this.rowCodes = rowCodes;
            this.cuts = cuts;
        }

        /** Cuts at up to {@code bins − 1} quantiles of each feature's distinct values, the largest value excluded. */
        static Bins of(float[][] features, int bins) {
            int n = features.length;
            int f = features[0].length;
            byte[] codes = new byte[Math.multiplyExact(n, f)];
            float[][] cuts = new float[f][];
            for (int j = 0; j < f; j++) {
                float[] present = new float[n];
                int m = 0;
                for (float[] row : features) {
                    if (!Float.isNaN(row[j])) {
                        present[m++] = row[j];
                    }
                }
                float[] sorted = Arrays.copyOf(present, m);
                Arrays.sort(sorted);
                List<Float> chosen = new ArrayList<>();
                for (int k = 1; k < bins; k++) {
                    if (m == 0) {
                        break;
                    }
                    float cut = sorted[(int) ((long) k * m / bins)];
                    if (cut < sorted[m - 1] && (chosen.isEmpty() || cut > chosen.get(chosen.size() - 1))) {
                        chosen.add(cut);
                    }
                }
                if (m > 0 && distinctAtMost(sorted, bins)) {
                    chosen.clear(); // few distinct values: one bin each, so the search is exact
                    for (int k = 0; k < m; k++) {
                        if (sorted[k] < sorted[m - 1] && (chosen.isEmpty() || sorted[k] > chosen.get(chosen.size() - 1))) {
                            chosen.add(sorted[k]);
                        }
                    }
                }
                cuts[j] = new float[chosen.size()];
                for (int k = 0; k < cuts[j].length; k++) {
                    cuts[j][k] = chosen.get(k);
                }
                for (int i = 0; i < n; i++) {
                    float x = features[i][j];
                    codes[i * f + j] = (byte) (Float.isNaN(x) ? 0 : 1 + upperCount(cuts[j], x));
                }
            }
            return new Bins(codes, cuts);
        }

        int featureCount() {
            return cuts.length;
        }

        /** Codes in use by feature {@code f}: NaN's, then one per cut and one above the last. */
        int binCount(int f) {
            return cuts[f].length + 2;
        }

        int maxBins() {
            int most = 0;
            for (float[] c : cuts) {
                most = Math.max(most, c.length + 2);
            }
            return most;
        }

        /**
         * The threshold a tree stores for "code ≤ b": cut[b − 1], or −Float.MAX_VALUE for b = 0 (only NaN goes left;
         * finite, as checkpoints require).
         */
        float threshold(int f, int b) {
            return b == 0 ? -Float.MAX_VALUE : cuts[f][b - 1];
        }

        private static boolean distinctAtMost(float[] sorted, int limit) {
            int distinct = 0;
            for (int k = 0; k < sorted.length; k++) {
                if (k == 0 || sorted[k] != sorted[k - 1]) {
                    if (++distinct > limit) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** The number of cuts below x. */
        private static int upperCount(float[] cuts, float x) {
            int lo = 0;
            int hi = cuts.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cuts[mid] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** Growing arrays of nodes. */
    private static final class Builder {
        int[] treeStart = new int[16];
        int trees;
        int nodes;
        int[] feature = new int[256];
        float[] threshold = new float[256];
        int[] left = new int[256];
        int[] right = new int[256];
        float[] value = new float[256];

        void startTree() {
            if (trees == treeStart.length) {
                treeStart = Arrays.copyOf(treeStart, 2 * trees);
            }
            treeStart[trees++] = nodes;
        }

        int lastTreeStart() {
            return treeStart[trees - 1];
        }

        int addNode() {
            if (nodes == feature.length) {
                int capacity = 2 * nodes;
                feature = Arrays.copyOf(feature, capacity);
                threshold = Arrays.copyOf(threshold, capacity);
                left = Arrays.copyOf(left, capacity);
                right = Arrays.copyOf(right, capacity);
                value = Arrays.copyOf(value, capacity);
            }
            feature[nodes] = -1;
            threshold[nodes] = 0f;
            left[nodes] = -1;
            right[nodes] = -1;
            value[nodes] = 0f;
            return nodes++;
        }

        TreeEnsemble build(float base) {
            return new TreeEnsemble(base, Arrays.copyOf(treeStart, trees), Arrays.copyOf(feature, nodes),
                    Arrays.copyOf(threshold, nodes), Arrays.copyOf(left, nodes), Arrays.copyOf(right, nodes),
                    Arrays.copyOf(value, nodes));
        }
    }

    private static int leaf(Builder b, int node, float[] row) {
        int n = node;
        while (b.feature[n] >= 0) {
            float x = row[b.feature[n]];
            n = Float.isNaN(x) || x <= b.threshold[n] ? b.left[n] : b.right[n];
        }
        return n;
    }

    private static int check(float[][] features, float[] target, float[] weight, float quantile) {
        int n = features.length;
        if (n == 0) {
            throw new IllegalArgumentException("no rows to fit");
        }
        if (target.length != n || (weight != null && weight.length != n)) {
            throw new IllegalArgumentException(n + " rows of features, " + target.length + " targets"
                    + (weight != null ? ", " + weight.length + " weights" : ""));
        }
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("the quantile must be in (0, 1), got " + quantile);
        }
        int width = features[0].length;
        if (width == 0) {
            throw new IllegalArgumentException("rows have no features");
        }
        for (int i = 0; i < n; i++) {
            if (features[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + features[i].length + " features, row 0 has " + width);
            }
            if (!Float.isFinite(target[i])) {
                throw new IllegalArgumentException("row " + i + "'s target is " + target[i]);
            }
            if (weight != null && !(weight[i] >= 0 && Float.isFinite(weight[i]))) {
                throw new IllegalArgumentException("row " + i + "'s weight is " + weight[i] + "; weights are finite and not negative");
            }
        }
        return n;
    }

    private static int[] sample(int n, double share, SplittableRandom random) {
        if (share >= 1) {
            return allRows(n);
        }
        int[] rows = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < share) {
                rows[m++] = i;
            }
        }
        return m == 0 ? allRows(n) : Arrays.copyOf(rows, m);
    }

    private static boolean[] sampleFeatures(int f, double share, SplittableRandom random) {
        boolean[] usable = new boolean[f];
        boolean any = false;
        for (int j = 0; j < f; j++) {
            usable[j] = share >= 1 || random.nextDouble() < share;
            any |= usable[j];
        }
        if (!any) {
            usable[random.nextInt(f)] = true;
        }
        return usable;
    }

    static int[] allRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private static float[] filled(int n, float v) {
        float[] out = new float[n];
        Arrays.fill(out, v);
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
