package dev.tempora.tensor;

import java.util.Locale;

/** torch-like printing: 4 decimals (or scientific for extreme values), summarising large tensors. */
final class Formatting {

    private static final int SUMMARY_THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private Formatting() {}

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.dim() == 0) {
            sb.append(number(t.item(), needsScientific(t)));
        } else {
            boolean scientific = needsScientific(t);
            boolean summarise = t.numel() > SUMMARY_THRESHOLD;
            append(sb, t, 0, new int[t.dim()], scientific, summarise, "tensor(".length());
        }
        return sb.append(", shape=").append(Shapes.toString(t.shape)).append(')').toString();
    }

    private static void append(StringBuilder sb, Tensor t, int d, int[] index, boolean sci, boolean summarise, int indent) {
        sb.append('[');
        int n = t.shape[d];
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                sb.append(d == t.dim() - 1 ? "..., " : "...,\n" + " ".repeat(indent + d + 1));
                i = n - EDGE_ITEMS - 1;
                continue;
            }
            index[d] = i;
            if (d == t.dim() - 1) {
                sb.append(number(t.get(index), sci));
            } else {
                append(sb, t, d + 1, index, sci, summarise, indent);
            }
            if (i < n - 1) {
                sb.append(d == t.dim() - 1 ? ", " : ",\n" + "\n".repeat(Math.max(0, t.dim() - d - 2))
                        + " ".repeat(indent + d + 1));
            }
        }
        sb.append(']');
    }

    private static boolean needsScientific(Tensor t) {
        float max = 0f;
        float min = Float.POSITIVE_INFINITY;
        for (float v : t.toFloatArray()) {
            if (Float.isFinite(v) && v != 0f) {
                max = Math.max(max, Math.abs(v));
                min = Math.min(min, Math.abs(v));
            }
        }
        return max >= 1e8f || (min < 1e-4f && max > 0f);
    }

    private static String number(float v, boolean sci) {
        if (Float.isNaN(v)) {
            return "nan";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, sci ? "%.4e" : "%.4f", v);
    }
}
