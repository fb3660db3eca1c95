package dev.tempora.tensor;

import dev.tempora.tensor.kernels.Gemm;

/** torch.matmul semantics over the GEMM kernel; transposed views become transposed operands. */
final class MatMul {

    private MatMul() {}

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul needs tensors of rank 1 or more, got shapes "
                    + Shapes.toString(a.shape) + " and " + Shapes.toString(b.shape));
        }
        boolean vecA = a.dim() == 1;
        boolean vecB = b.dim() == 1;
        Tensor a2 = vecA ? a.unsqueeze(0) : a;
        Tensor b2 = vecB ? b.unsqueeze(1) : b;
        int m = a2.shape[a2.dim() - 2];
        int k = a2.shape[a2.dim() - 1];
        int kb = b2.shape[b2.dim() - 2];
        int n = b2.shape[b2.dim() - 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.toString(a.shape) + " and "
                    + Shapes.toString(b.shape) + " are not aligned (" + k + " vs " + kb + ")");
        }
        int[] batchA = java.util.Arrays.copyOf(a2.shape, a2.dim() - 2);
        int[] batchB = java.util.Arrays.copyOf(b2.shape, b2.dim() - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast(batchA, batchB, "matmul");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: the batch dimensions of shapes " + Shapes.toString(a.shape)
                    + " and " + Shapes.toString(b.shape) + " cannot be broadcast together", e);
        }
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Tensor.empty(outShape);

        Operand oa = Operand.of(a2);
        Operand ob = Operand.of(b2);
        int batches = Shapes.numel(batch);
        if (batches == 1) {
            Gemm.sgemm(oa.transposed, ob.transposed, m, n, k, 1f, oa.t.data, oa.t.offset, oa.ld,
                    ob.t.data, ob.t.offset, ob.ld, 0f, out.data, 0, n);
        } else {
            int[] aBatchStrides = batchStrides(oa.t, batch);
            int[] bBatchStrides = batchStrides(ob.t, batch);
            if (!oa.transposed && isZero(bBatchStrides) && rowsRunOn(aBatchStrides, batch, (long) m * oa.ld)) {
                // One B for every batch item and A's matrices stacked row after row (a linear layer
                // on a (batch, time, features) tensor): one tall GEMM packs B once.
                Gemm.sgemm(false, ob.transposed, batches * m, n, k, 1f, oa.t.data, oa.t.offset, oa.ld,
                        ob.t.data, ob.t.offset, ob.ld, 0f, out.data, 0, n);
                return squeezeVectors(out, vecA, vecB);
            }
            Parallel.forRange(batches, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int ao = oa.t.offset;
                    int bo = ob.t.offset;
                    int rem = i;
                    for (int d = batch.length - 1; d >= 0; d--) {
                        int ix = rem % batch[d];
                        rem /= batch[d];
                        ao += ix * aBatchStrides[d];
                        bo += ix * bBatchStrides[d];
                    }
                    Gemm.sgemmSerial(oa.transposed, ob.transposed, m, n, k, 1f, oa.t.data, ao, oa.ld,
                            ob.t.data, bo, ob.ld, 0f, out.data, i * m * n, n);
                }
            });
        }
        return squeezeVectors(out, vecA, vecB);
    }

    /** Drops the axes that promoted 1-d operands added. */
    private static Tensor squeezeVectors(Tensor out, boolean vecA, boolean vecB) {
        Tensor result = out;
        if (vecA) {
            result = result.squeeze(-2);
        }
        if (vecB) {
            result = result.squeeze(-1);
        }
        return result;
    }

    private static boolean isZero(int[] strides) {
        for (int s : strides) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether batch item after batch item (row-major over {@code batch}) starts {@code matrixSize}
     * floats after the previous one, so the batch and row axes read as one axis of rows.
     */
    private static boolean rowsRunOn(int[] strides, int[] batch, long matrixSize) {
        long expected = matrixSize;
        for (int d = batch.length - 1; d >= 0; d--) {
            if (batch[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= batch[d];
        }
        return expected <= Integer.MAX_VALUE;
    }

    /** The strides of a batched operand's batch axes, broadcast to {@code batch} (0 where broadcast). */
    private static int[] batchStrides(Tensor t, int[] batch) {
        int lead = batch.length - (t.dim() - 2);
        int[] s = new int[batch.length];
        for (int d = 0; d < batch.length; d++) {
            int td = d - lead;
            s[d] = td < 0 || t.shape[td] == 1 ? 0 : t.strides[td];
        }
        return s;
    }

    /** A matrix operand as GEMM wants it: row-major with a leading dimension, or its transpose. */
    private record Operand(Tensor t, boolean transposed, int ld) {
        static Operand of(Tensor x) {
            int r = x.dim();
            int rows = x.shape[r - 2];
            int cols = x.shape[r - 1];
            int sr = x.strides[r - 2];
            int sc = x.strides[r - 1];
            if ((sc == 1 || cols == 1) && sr >= Math.max(1, cols)) {
                return new Operand(x, false, Math.max(sr, 1));
            }
            if ((sr == 1 || rows == 1) && sc >= Math.max(1, rows)) {
                return new Operand(x, true, Math.max(sc, 1));
            }
            // Neither layout: copy the matrices (batch axes keep their broadcast zero strides).
            Tensor c = x.contiguous();
            return new Operand(c, false, Math.max(cols, 1));
        }
    }
}
