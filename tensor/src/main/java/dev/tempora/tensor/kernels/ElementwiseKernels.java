package dev.tempora.tensor.kernels;

/**
 * Element-wise kernels over runs of floats: {@code out[oo + i] = f(a[ao + i*as], b[bo + i*bs])}.
 * The SIMD path ({@link ElementwiseVector}) handles unit and zero (broadcast) strides; other strides
 * and the scalar fallback use the references below, which define what every kernel must compute.
 * The caller (the tensor layer) walks the n-d iteration space and hands runs to these kernels.
 */
public final class ElementwiseKernels {

    private ElementwiseKernels() {}

    // ---------------------------------------------------------------- unary

    /** out[oo+i] = op(x[xo + i*xs]) for i in [0, n). */
    public static void unary(UnaryOp op, float p, float q, float[] x, int xo, int xs, float[] out, int oo, int n) {
        if (VectorSupport.ENABLED && xs == 1 && n >= VectorSupport.LANES) {
            ElementwiseVector.unary(op, p, q, x, xo, out, oo, n);
        } else {
            unaryReference(op, p, q, x, xo, xs, out, oo, n);
        }
    }

    static void unaryReference(UnaryOp op, float p, float q, float[] x, int xo, int xs, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = op.apply(x[xo + i * xs], p, q);
        }
    }

    /** out[i] = g[i]·op'(x[i], y[i]) as {@link UnaryOp#backward} rounds it, all contiguous; every unary op's backward. */
    public static void unaryBackward(UnaryOp op, float p, float q, float[] g, int go, float[] x, int xo,
                                     float[] y, int yo, float[] out, int oo, int n) {
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES) {
            ElementwiseVector.unaryBackward(op, p, q, g, go, x, xo, y, yo, out, oo, n);
        } else {
            unaryBackwardReference(op, p, q, g, go, x, xo, y, yo, out, oo, n);
        }
    }

    static void unaryBackwardReference(UnaryOp op, float p, float q, float[] g, int go, float[] x, int xo,
                                              float[] y, int yo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = op.backward(g[go + i], x[xo + i], y[yo + i], p, q);
        }
    }

    // ---------------------------------------------------------------- binary

    /** out[oo+i] = op(a[ao + i*as], b[bo + i*bs]) for i in [0, n). */
    public static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                              float[] out, int oo, int n) {
        if (VectorSupport.ENABLED && (as == 0 || as == 1) && (bs == 0 || bs == 1) && n >= VectorSupport.LANES) {
            ElementwiseVector.binary(op, a, ao, as, b, bo, bs, out, oo, n);
        } else {
            binaryReference(op, a, ao, as, b, bo, bs, out, oo, n);
        }
    }

    static void binaryReference(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                                       float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = op.apply(a[ao + i * as], b[bo + i * bs]);
        }
    }

    /**
     * Rows of a row broadcast: {@code out[oo + r*n + i] = op(a[ao + r*aRows + i], b[bo + r*bRows + i])}
     * for r in [0, rows), i in [0, n), where an operand's row stride is n (its own rows) or 0 (one
     * row repeated), as in (rows, n) + (n). {@code out} must not overlap a or b.
     */
    public static void binaryRows(BinaryOp op, float[] a, int ao, int aRows, float[] b, int bo, int bRows,
                                  float[] out, int oo, int rows, int n) {
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES && op != BinaryOp.POW) {
            ElementwiseVector.binaryRows(op, a, ao, aRows, b, bo, bRows, out, oo, rows, n);
        } else {
            for (int r = 0; r < rows; r++) {
                binaryReference(op, a, ao + r * aRows, 1, b, bo + r * bRows, 1, out, oo + r * n, n);
            }
        }
    }

    /**
     * y[yo + r*n + i] += row[ro + i] for r in [0, rows), i in [0, n), in place: a bias added to
     * every row of a layer's output.
     */
    public static void addRowInPlace(float[] y, int yo, float[] row, int ro, int rows, int n) {
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES) {
            ElementwiseVector.addRowInPlace(y, yo, row, ro, rows, n);
        } else {
            addRowInPlaceReference(y, yo, row, ro, rows, n);
        }
    }

    static void addRowInPlaceReference(float[] y, int yo, float[] row, int ro, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                y[yo + r * n + i] += row[ro + i];
            }
        }
    }

    /**
     * out[r, i] = ELU(y[r, i] + row[i]) with the given alpha, for {@code rows} rows of n: a linear
     * layer's bias and the ELU after it in one pass. Each element is the bias addition, then
     * {@link UnaryOp#ELU}, rounded as the two separately would be.
     */
    public static void addRowElu(float[] y, int yo, float[] row, int ro, float[] out, int oo, int rows, int n,
                                 float alpha) {
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES) {
            ElementwiseVector.addRowElu(y, yo, row, ro, out, oo, rows, n, alpha);
        } else if (VectorSupport.ENABLED) {
            narrowAddRowsElu(y, yo, row, ro, null, 0, 1, out, oo, rows, n, alpha);
        } else {
            addRowEluReference(y, yo, row, ro, out, oo, rows, n, alpha);
        }
    }

    static void addRowEluReference(float[] y, int yo, float[] row, int ro, float[] out, int oo, int rows, int n,
                                   float alpha) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                out[oo + r * n + i] = UnaryOp.ELU.apply(y[yo + r * n + i] + row[ro + i], alpha, 0f);
            }
        }
    }

    /**
     * out[r, i] = ELU((y[r, i] + row[i]) + add[r / rowsPerAdd, i]): {@link #addRowElu} with a second
     * addend that holds one row for every {@code rowsPerAdd} consecutive rows (a context projected
     * once per sample and broadcast over time), added after the first as two separate additions would.
     */
    public static void addRowsElu(float[] y, int yo, float[] row, int ro, float[] add, int ao, int rowsPerAdd,
                                  float[] out, int oo, int rows, int n, float alpha) {
        if (rowsPerAdd < 1) {
            throw new IllegalArgumentException("addRowsElu: rowsPerAdd must be at least 1, got " + rowsPerAdd);
        }
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES) {
            ElementwiseVector.addRowsElu(y, yo, row, ro, add, ao, rowsPerAdd, out, oo, rows, n, alpha);
        } else if (VectorSupport.ENABLED) {
            narrowAddRowsElu(y, yo, row, ro, add, ao, rowsPerAdd, out, oo, rows, n, alpha);
        } else {
            addRowsEluReference(y, yo, row, ro, add, ao, rowsPerAdd, out, oo, rows, n, alpha);
        }
    }

    static void addRowsEluReference(float[] y, int yo, float[] row, int ro, float[] add, int ao, int rowsPerAdd,
                                    float[] out, int oo, int rows, int n, float alpha) {
        for (int r = 0; r < rows; r++) {
            int ar = ao + (r / rowsPerAdd) * n;
            for (int i = 0; i < n; i++) {
                float v = y[yo + r * n + i] + row[ro + i] + add[ar + i];
                out[oo + r * n + i] = UnaryOp.ELU.apply(v, alpha, 0f);
            }
        }
    }

    /**
     * Rows narrower than a vector: the additions row by row, then the ELU over all the rows at once
     * with full vectors (it needs no row structure), which is where the time goes.
     */
    private static void narrowAddRowsElu(float[] y, int yo, float[] row, int ro, float[] add, int ao, int rowsPerAdd,
                                         float[] out, int oo, int rows, int n, float alpha) {
        for (int r = 0; r < rows; r++) {
            int ar = ao + (r / rowsPerAdd) * n;
            for (int i = 0; i < n; i++) {
                float v = y[yo + r * n + i] + row[ro + i];
                out[oo + r * n + i] = add == null ? v : v + add[ar + i];
            }
        }
        unary(UnaryOp.ELU, alpha, 0f, out, oo, 1, out, oo, rows * n);
    }

    // ---------------------------------------------------------------- select

    /** out[oo+i] = c[co + i*cs] != 0 ? a[ao + i*as] : b[bo + i*bs]. */
    public static void where(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs,
                             float[] out, int oo, int n) {
        if (VectorSupport.ENABLED && cs == 1 && (as == 0 || as == 1) && (bs == 0 || bs == 1)
                && n >= VectorSupport.LANES) {
            ElementwiseVector.where(c, co, a, ao, as, b, bo, bs, out, oo, n);
        } else {
            whereReference(c, co, cs, a, ao, as, b, bo, bs, out, oo, n);
        }
    }

    static void whereReference(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs,
                                      float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = c[co + i * cs] != 0f ? a[ao + i * as] : b[bo + i * bs];
        }
    }

    // ---------------------------------------------------------------- copies and in-place updates

    /** out[oo+i] = x[xo + i*xs]: the inner loop of {@code contiguous()} and of concatenation. */
    public static void copy(float[] x, int xo, int xs, float[] out, int oo, int n) {
        if (xs == 1) {
            System.arraycopy(x, xo, out, oo, n);
        } else if (xs == 0) {
            java.util.Arrays.fill(out, oo, oo + n, x[xo]);
        } else {
            for (int i = 0; i < n; i++) {
                out[oo + i] = x[xo + i * xs];
            }
        }
    }

    /** y[yo+i] += alpha * x[xo+i]: gradient accumulation and optimiser updates. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES) {
            ElementwiseVector.axpy(alpha, x, xo, y, yo, n);
        } else {
            axpyReference(alpha, x, xo, y, yo, n);
        }
    }

    static void axpyReference(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** x[xo+i] *= alpha. */
    public static void scale(float alpha, float[] x, int xo, int n) {
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES) {
            ElementwiseVector.scale(alpha, x, xo, n);
        } else {
            for (int i = 0; i < n; i++) {
                x[xo + i] *= alpha;
            }
        }
    }

    /** The sum of squares of x[xo..xo+n), accumulated in double: gradient-norm clipping. */
    public static double sumOfSquares(float[] x, int xo, int n) {
        if (VectorSupport.ENABLED && n >= VectorSupport.LANES) {
            return ElementwiseVector.sumOfSquares(x, xo, n);
        }
        return sumOfSquaresReference(x, xo, n);
    }

    static double sumOfSquaresReference(float[] x, int xo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[xo + i] * x[xo + i];
        }
        return s;
    }
}
