package dev.tempora.data;

import java.util.Arrays;

/**
 * The windows of a dataset as PTF's {@code _construct_index} draws them, stored as two int arrays
 * (first and last row of each window; 8 bytes a window) and never materialised.
 *
 * <p>Rows are sorted by series then time. A window may start at every row: it runs until its time span
 * reaches max_encoder + max_prediction or the series ends ({@link #findEndIndices}, a direct port of
 * PTF's {@code _find_end_indices}, which also handles gaps). Extra, shorter windows start at each
 * series' first row so that every time step ends some window. Windows shorter than min_encoder +
 * min_prediction, or ending before min_prediction_idx + min_prediction_length - 1, are dropped. In
 * predict mode each series keeps only its longest window that reaches the series' end.
 */
final class WindowIndex {

    final int[] start;
    final int[] end;

    WindowIndex(int[] start, int[] end) {
        this.start = start;
        this.end = end;
    }

    int size() {
        return start.length;
    }

    /**
     * @param time        time index per row, rows sorted by series then time
     * @param seriesStart first row of each series, plus the row count at the end
     */
    static WindowIndex build(int[] time, int[] seriesStart, int minEncoder, int maxEncoder, int minPrediction,
                             int maxPrediction, long minPredictionIdx, boolean predictMode) {
        int n = time.length;
        int series = seriesStart.length - 1;
        int maxSequence = maxEncoder + maxPrediction;
        int minSequence = minEncoder + minPrediction;
        int[] diffs = new int[n];
        int[] maxLengths = new int[n];
        int[] timeLastOfRow = new int[n];
        for (int s = 0; s < series; s++) {
            int first = seriesStart[s];
            int last = seriesStart[s + 1] - 1;
            for (int i = first; i <= last; i++) {
                diffs[i] = i < last ? time[i + 1] - time[i] : 1; // PTF fills the last row's missing diff with 1
                long maxTime = Math.min((long) time[i] + maxSequence - 1, time[last]);
                maxLengths[i] = (int) (maxTime - time[i] + 1);
                timeLastOfRow[i] = time[last];
            }
        }
        IntList missingStarts = new IntList();
        IntList missingEnds = new IntList();
        int[] endOfRow = findEndIndices(diffs, maxLengths, minSequence, missingStarts, missingEnds);

        IntList starts = new IntList();
        IntList ends = new IntList();
        int candidates = n + missingStarts.size;
        for (int k = 0; k < candidates; k++) {
            int s = k < n ? k : missingStarts.data[k - n];
            int e = k < n ? endOfRow[k] : missingEnds.data[k - n];
            long sequenceLength = (long) time[e] - time[s] + 1;
            if (sequenceLength >= minSequence && sequenceLength + time[s] >= minPredictionIdx + minPrediction) {
                starts.add(s);
                ends.add(e);
            }
        }
        if (!predictMode) {
            return new WindowIndex(starts.toArray(), ends.toArray());
        }
        // Keep, per series, the first window of the greatest length among those that reach the series' end.
        int[] bestStart = new int[series];
        int[] bestEnd = new int[series];
        long[] bestLength = new long[series];
        Arrays.fill(bestLength, -1);
        int[] seriesOfRow = seriesOfRows(seriesStart, n);
        for (int k = 0; k < starts.size; k++) {
            int s = starts.data[k];
            int e = ends.data[k];
            long sequenceLength = (long) time[e] - time[s] + 1;
            if ((long) timeLastOfRow[s] - time[s] + 1 <= maxSequence && sequenceLength >= minSequence) {
                int id = seriesOfRow[s];
                if (sequenceLength > bestLength[id]) {
                    bestLength[id] = sequenceLength;
                    bestStart[id] = s;
                    bestEnd[id] = e;
                }
            }
        }
        IntList ps = new IntList();
        IntList pe = new IntList();
        for (int id = 0; id < series; id++) {
            if (bestLength[id] >= 0) {
                ps.add(bestStart[id]);
                pe.add(bestEnd[id]);
            }
        }
        return new WindowIndex(ps.toArray(), pe.toArray());
    }

    static int[] seriesOfRows(int[] seriesStart, int n) {
        int[] out = new int[n];
        for (int s = 0; s + 1 < seriesStart.length; s++) {
            Arrays.fill(out, seriesStart[s], seriesStart[s + 1], s);
        }
        return out;
    }

    /**
     * PTF's {@code _find_end_indices}, line for line: walks the rows once with a start pointer; when the
     * time span from the start reaches the start's maximum length it records the start's last row. Spans
     * that reach the minimum length before a start is closed are recorded as extra (start, end) pairs.
     */
    static int[] findEndIndices(int[] diffs, int[] maxLengths, int minLength, IntList missingStarts, IntList missingEnds) {
        int n = diffs.length;
        int[] endIndices = new int[n];
        int count = 0;
        long length = 1;
        int startIdx = 0;
        int maxIdx = n - 1;
        int maxLength = maxLengths[startIdx];
        for (int idx = 0; idx < n; idx++) {
            if (length >= maxLength) {
                while (length >= maxLength) {
                    if (count == n) {
                        throw new IllegalStateException("window index overflow at row " + idx);
                    }
                    endIndices[count++] = length == maxLength ? idx : idx - 1;
                    length -= diffs[startIdx];
                    if (startIdx < maxIdx) {
                        startIdx += 1;
                    }
                    maxLength = maxLengths[startIdx];
                }
            } else if (length >= minLength) {
                missingStarts.add(startIdx);
                missingEnds.add(idx);
            }
            length += diffs[idx];
        }
        if (count != n) {
            throw new IllegalStateException("window index: " + count + " end indices for " + n + " rows");
        }
        return endIndices;
    }

    /** A growable int array (no boxing). */
    static final class IntList {
        int[] data = new int[16];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
