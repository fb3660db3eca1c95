package dev.tempora.tensor;

/**
 * Walks an n-d iteration space over several strided operands, handing the innermost runs to a
 * kernel. Dimensions of size 1 are dropped and adjacent dimensions that are contiguous in every
 * operand are merged first, so a contiguous tensor is one long run whatever its rank. Operand 0 is
 * conventionally the output.
 */
final class StridedLoop {

    /** Receives one run: the start offset of each operand, their inner strides, and the run length. */
    @FunctionalInterface
    interface RunBody {
        void run(int[] offsets, int[] innerStrides, int length);
    }

    private final int[] shape;       // coalesced; the last dimension is the run
    private final int[][] strides;   // [operand][dim]
    private final int operands;
    private final boolean empty;     // a zero-size dimension: there is nothing to visit

    /** @param strides one stride array per operand, each aligned with {@code shape} (0 where broadcast) */
    StridedLoop(int[] shape, int[]... strides) {
        this.operands = strides.length;
        this.empty = Shapes.numel(shape) == 0;
        int rank = shape.length;
        int[] s = new int[Math.max(rank, 1)];
        int[][] st = new int[operands][Math.max(rank, 1)];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (r > 0 && mergeable(strides, d, shape[d], r - 1, st)) {
                s[r - 1] *= shape[d];
                for (int o = 0; o < operands; o++) {
                    st[o][r - 1] = strides[o][d];
                }
                continue;
            }
            s[r] = shape[d];
            for (int o = 0; o < operands; o++) {
                st[o][r] = strides[o][d];
            }
            r++;
        }
        if (r == 0) { // a scalar, or all dimensions of size 1
            s[0] = Shapes.numel(shape);
            r = 1;
        }
        this.shape = java.util.Arrays.copyOf(s, r);
        this.strides = new int[operands][];
        for (int o = 0; o < operands; o++) {
            this.strides[o] = java.util.Arrays.copyOf(st[o], r);
        }
    }

    // Dimension d continues the previous kept dimension when, in every operand, one step of the
    // previous dimension equals a full sweep of d.
    private static boolean mergeable(int[][] strides, int d, int size, int kept, int[][] keptStrides) {
        for (int o = 0; o < strides.length; o++) {
            if (keptStrides[o][kept] != strides[o][d] * size) {
                return false;
            }
        }
        return true;
    }

    int runLength() {
        return shape[shape.length - 1];
    }

    long runs() {
        long n = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Runs [firstRun, lastRun) in order; {@code base} holds each operand's storage offset. */
    void forEach(int[] base, long firstRun, long lastRun, RunBody body) {
        if (empty || firstRun >= lastRun) {
            // Zero-length runs of an empty shape may start past the end of storage: visit none of them.
            return;
        }
        int rank = shape.length;
        int[] inner = new int[operands];
        for (int o = 0; o < operands; o++) {
            inner[o] = strides[o][rank - 1];
        }
        int[] index = new int[rank];
        int[] offsets = new int[operands];
        // Decompose the first run number into an index over the outer dimensions.
        long rem = firstRun;
        for (int d = rank - 2; d >= 0; d--) {
            index[d] = (int) (rem % shape[d]);
            rem /= shape[d];
        }
        for (int o = 0; o < operands; o++) {
            int off = base[o];
            for (int d = 0; d < rank - 1; d++) {
                off += index[d] * strides[o][d];
            }
            offsets[o] = off;
        }
        int len = shape[rank - 1];
        for (long run = firstRun; run < lastRun; run++) {
            body.run(offsets, inner, len);
            // Odometer increment of the outer index, updating offsets incrementally.
            for (int d = rank - 2; d >= 0; d--) {
                index[d]++;
                if (index[d] < shape[d]) {
                    for (int o = 0; o < operands; o++) {
                        offsets[o] += strides[o][d];
                    }
                    break;
                }
                index[d] = 0;
                for (int o = 0; o < operands; o++) {
                    offsets[o] -= strides[o][d] * (shape[d] - 1);
                }
            }
        }
    }

    /** Receives one block of rows: each operand's start offset; rows of {@link #runLength()} elements. */
    @FunctionalInterface
    interface RowBlockBody {
        void run(int[] offsets);
    }

    /**
     * Whether the two innermost coalesced dimensions are rows of unit-stride runs, operand 0 (the
     * output) dense, and every other operand either dense the same way or repeating one row (row
     * stride 0): a row broadcast, such as (rows, n) + (n), which kernels run row after row without
     * a call per run.
     */
    boolean isRowBroadcast() {
        int rank = shape.length;
        if (empty || rank < 2) {
            return false;
        }
        int run = shape[rank - 1];
        for (int o = 0; o < operands; o++) {
            int rowStride = strides[o][rank - 2];
            if (strides[o][rank - 1] != 1 || (rowStride != run && (o == 0 || rowStride != 0))) {
                return false;
            }
        }
        return true;
    }

    /** Rows per block of a row broadcast. */
    int rowsPerBlock() {
        return shape[shape.length - 2];
    }

    /** Row stride of an operand in a row broadcast: the run length, or 0 where it repeats a row. */
    int rowStride(int operand) {
        return strides[operand][shape.length - 2];
    }

    /** Runs every block of rows of a row broadcast, in order (the dimensions outside the rows). */
    void forEachRowBlock(int[] base, RowBlockBody body) {
        int outerRank = shape.length - 2;
        int[] index = new int[Math.max(outerRank, 1)];
        int[] offsets = base.clone();
        long blocks = 1;
        for (int d = 0; d < outerRank; d++) {
            blocks *= shape[d];
        }
        for (long blk = 0; blk < blocks; blk++) {
            body.run(offsets);
            for (int d = outerRank - 1; d >= 0; d--) {
                index[d]++;
                if (index[d] < shape[d]) {
                    for (int o = 0; o < operands; o++) {
                        offsets[o] += strides[o][d];
                    }
                    break;
                }
                index[d] = 0;
                for (int o = 0; o < operands; o++) {
                    offsets[o] -= strides[o][d] * (shape[d] - 1);
                }
            }
        }
    }

    /** Runs every run, in parallel chunks of runs when there is enough work. */
    void forEachParallel(int[] base, RunBody body) {
        long runs = runs();
        long work = runs * runLength();
        if (work < PARALLEL_THRESHOLD || runs < 2) {
            forEach(base, 0, runs, body);
            return;
        }
        int chunks = (int) Math.min(runs, Math.max(1, work / PARALLEL_THRESHOLD));
        Parallel.forRange((int) Math.min(runs, Integer.MAX_VALUE), 1, chunks,
                (from, to) -> forEach(base, from, to, body));
    }

    /** Element count below which splitting a memory-bound loop across threads costs more than it saves. */
    static final long PARALLEL_THRESHOLD = 1 << 16;
}
