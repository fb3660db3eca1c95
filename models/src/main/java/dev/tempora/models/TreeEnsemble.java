package dev.tempora.models;

import java.util.Arrays;

/**
 * Regression trees summed on a base value, as flat arrays (what a checkpoint stores): tree {@code t}'s root is
 * node {@code treeStart[t]}; an inner node sends a row left when its feature is NaN or at most the threshold,
 * right otherwise; a leaf ({@code feature} −1) adds its value. Leaf values already include the learning rate.
 *
 * @param base      the prediction before any tree
 * @param treeStart each tree's root node
 * @param feature   each node's feature, or −1 for a leaf
 * @param threshold each inner node's threshold
 * @param left      each inner node's left child (a node index)
 * @param right     each inner node's right child
 * @param value     each leaf's value
 */
public record TreeEnsemble(float base, int[] treeStart, int[] feature, float[] threshold, int[] left, int[] right,
                           float[] value) {

    /** Checks that the arrays agree and every child index points forward into them. */
    public TreeEnsemble {
        int nodes = feature.length;
        if (threshold.length != nodes || left.length != nodes || right.length != nodes || value.length != nodes) {
            throw new IllegalArgumentException("tree arrays disagree on the node count: " + nodes + " features, "
                    + threshold.length + " thresholds, " + left.length + " left, " + right.length + " right, "
                    + value.length + " values");
        }
        for (int start : treeStart) {
            if (start < 0 || start >= nodes) {
                throw new IllegalArgumentException("a tree starts at node " + start + " of " + nodes);
            }
        }
        for (int n = 0; n < nodes; n++) {
            if (feature[n] >= 0 && (left[n] <= n || right[n] <= n || left[n] >= nodes || right[n] >= nodes)) {
                throw new IllegalArgumentException("node " + n + " has children " + left[n] + " and " + right[n]
                        + "; children come after their parent, within the " + nodes + " nodes");
            }
        }
    }

    /** {@return the number of trees} */
    public int treeCount() {
        return treeStart.length;
    }

    /** {@return the number of nodes of all trees} */
    public int nodeCount() {
        return feature.length;
    }

    /**
     * The sum of the base and every tree's leaf for one row.
     *
     * @param row the row's features (NaN for a missing value), at least as many as the trees read
     * @return the prediction
     */
    public float predict(float[] row) {
        double sum = base;
        for (int start : treeStart) {
            sum += value[leaf(start, row)];
        }
        return (float) sum;
    }

    /** The leaf a row reaches from node {@code node}. */
    int leaf(int node, float[] row) {
        int n = node;
        while (feature[n] >= 0) {
            float x = row[feature[n]];
            n = Float.isNaN(x) || x <= threshold[n] ? left[n] : right[n];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeEnsemble t && Float.compare(base, t.base) == 0 && Arrays.equals(treeStart, t.treeStart)
                && Arrays.equals(feature, t.feature) && Arrays.equals(threshold, t.threshold) && Arrays.equals(left, t.left)
                && Arrays.equals(right, t.right) && Arrays.equals(value, t.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(feature) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "TreeEnsemble[" + treeCount() + " trees, " + nodeCount() + " nodes, base " + base + "]";
    }
}
