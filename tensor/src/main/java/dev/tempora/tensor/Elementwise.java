package dev.tempora.tensor;

import dev.tempora.tensor.kernels.BinaryOp;
import dev.tempora.tensor.kernels.ElementwiseKernels;
import dev.tempora.tensor.kernels.UnaryOp;

/** Broadcasting and strided iteration for element-wise ops; the arithmetic is in the kernels. */
final class Elementwise {

    private Elementwise() {}

    static Tensor unary(UnaryOp op, float p, float q, Tensor x) {
        Tensor out = Tensor.empty(x.shape);
        if (x.isContiguous()) {
            // One long run, split across threads when large.
            forChunks(x.numel(), (from, to) ->
                    ElementwiseKernels.unary(op, p, q, x.data, x.offset + from, 1, out.data, from, to - from));
            return out;
        }
        new StridedLoop(out.shape, out.strides, x.strides).forEachParallel(new int[] {0, x.offset},
                (off, st, n) -> ElementwiseKernels.unary(op, p, q, x.data, off[1], st[1], out.data, off[0], n));
        return out;
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(a.shape, b.shape, op.name().toLowerCase(java.util.Locale.ROOT));
        Tensor out = Tensor.empty(shape);
        if (a.isContiguous() && b.isContiguous() && a.sameShape(b)) {
            forChunks(out.numel(), (from, to) -> ElementwiseKernels.binary(op, a.data, a.offset + from, 1,
                    b.data, b.offset + from, 1, out.data, from, to - from));
            return out;
        }
        StridedLoop loop = new StridedLoop(shape, out.strides, a.stridesBroadcastTo(shape), b.stridesBroadcastTo(shape));
        if (loop.isRowBroadcast()) {
            // (rows, n) with (n), or (B, T, n) with (B, 1, n): blocks of rows per kernel call, not a
            // call per row; a large block is split across threads by rows.
            int rows = loop.rowsPerBlock();
            int n = loop.runLength();
            int aRows = loop.rowStride(1);
            int bRows = loop.rowStride(2);
            int grain = (int) Math.max(1, StridedLoop.PARALLEL_THRESHOLD / Math.max(1, n));
            loop.forEachRowBlock(new int[] {0, a.offset, b.offset}, off -> Parallel.forRange(rows, grain,
                    (from, to) -> ElementwiseKernels.binaryRows(op, a.data, off[1] + from * aRows, aRows, b.data,
                            off[2] + from * bRows, bRows, out.data, off[0] + from * n, to - from, n)));
            return out;
        }
        loop.forEachParallel(new int[] {0, a.offset, b.offset}, (off, st, n) -> ElementwiseKernels.binary(
                op, a.data, off[1], st[1], b.data, off[2], st[2], out.data, off[0], n));
        return out;
    }

    static Tensor where(Tensor c, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(Shapes.broadcast(c.shape, a.shape, "where"), b.shape, "where");
        Tensor out = Tensor.empty(shape);
        new StridedLoop(shape, out.strides, c.stridesBroadcastTo(shape), a.stridesBroadcastTo(shape),
                b.stridesBroadcastTo(shape)).forEachParallel(new int[] {0, c.offset, a.offset, b.offset},
                (off, st, n) -> ElementwiseKernels.where(c.data, off[1], st[1], a.data, off[2], st[2],
                        b.data, off[3], st[3], out.data, off[0], n));
        return out;
    }

    /** Copies {@code src} (same shape) into {@code dst}, both possibly strided. */
    static void copyInto(Tensor src, Tensor dst) {
        if (!src.sameShape(dst)) {
            throw new IllegalArgumentException("copy: shapes " + Shapes.toString(src.shape) + " and "
                    + Shapes.toString(dst.shape) + " differ");
        }
        new StridedLoop(dst.shape, dst.strides, src.strides).forEachParallel(new int[] {dst.offset, src.offset},
                (off, st, n) -> {
                    if (st[0] == 1) {
                        ElementwiseKernels.copy(src.data, off[1], st[1], dst.data, off[0], n);
                    } else {
                        for (int i = 0; i < n; i++) {
                            dst.data[off[0] + i * st[0]] = src.data[off[1] + i * st[1]];
                        }
                    }
                });
    }

    /** Splits [0, n) into chunks when n is large enough for threads to pay. */
    static void forChunks(int n, Parallel.RangeBody body) {
        if (n < StridedLoop.PARALLEL_THRESHOLD) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        // Chunk edges on 64-element boundaries keep vector loops aligned and tails short.
        int blocks = (n + 63) / 64;
        int tasks = (int) Math.max(1, n / StridedLoop.PARALLEL_THRESHOLD);
        Parallel.forRange(blocks, 1, tasks, (from, to) -> body.run(from * 64, Math.min(n, to * 64)));
    }
}
