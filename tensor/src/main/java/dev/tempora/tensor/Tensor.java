package dev.tempora.tensor;

import dev.tempora.tensor.kernels.BinaryOp;
import dev.tempora.tensor.kernels.ElementwiseKernels;
import dev.tempora.tensor.kernels.UnaryOp;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * A float32 n-d array: a shape, strides and an offset over a float[] storage, row-major when
 * contiguous. Views (reshape of a contiguous tensor, permute, transpose, narrow, select, expand,
 * unsqueeze) share storage; everything else returns a new contiguous tensor. Operations broadcast as
 * numpy does and throw {@link IllegalArgumentException} naming both shapes when they cannot.
 *
 * <p>Tensors are mutable only through the explicit in-place methods ({@link #fill}, {@link #copyFrom},
 * {@link #addInPlace}, {@link #mulInPlace}, {@link #set}), which optimisers and gradient
 * accumulation use. Axes may be negative (-1 is the last). Integer data (class indices, lengths)
 * are stored as exact floats, as every value below 2^24 is.
 *
 * <p>This class is the tensor API's one facade, longer than our usual file for that reason: the
 * operations themselves live in package-private classes ({@code Elementwise}, {@code Reductions},
 * {@code Normalization}, {@code MatMul}, {@code Indexing}) and the kernels below them; here each
 * is one documented line, so the whole API reads in one place, as torch.Tensor's does.
 */
public final class Tensor {

    final float[] data;
    final int offset;
    final int[] shape;
    final int[] strides;
    private final int size;

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.size = Shapes.numel(shape);
    }

    /** A contiguous tensor over the given storage. */
    static Tensor contiguousOver(float[] data, int[] shape) {
        return new Tensor(data, 0, shape, Shapes.contiguousStrides(shape));
    }

    // ------------------------------------------------------------------ creation

    /** A tensor with unspecified contents (drawn from the current {@link BufferPool} scope, if any). */
    public static Tensor empty(int... shape) {
        int[] s = shape.clone();
        return contiguousOver(BufferPool.allocate(Shapes.numel(s)), s);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return contiguousOver(BufferPool.allocateZeroed(Shapes.numel(s)), s);
    }

    /** A tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor with every element {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = empty(shape);
        Arrays.fill(t.data, 0, t.size, value);
        return t;
    }

    /** A 0-d tensor. */
    public static Tensor scalar(float value) {
        return contiguousOver(new float[] {value}, new int[0]);
    }

    /** A tensor holding a copy of {@code values}, viewed with {@code shape}. */
    public static Tensor of(float[] values, int... shape) {
        checkLength(values.length, shape);
        return contiguousOver(values.clone(), shape.clone());
    }

    /** A 1-d tensor holding a copy of {@code values}. */
    public static Tensor of(float... values) {
        return of(values, values.length);
    }

    /** A tensor over {@code values} without copying: later writes to the array show through. */
    public static Tensor wrap(float[] values, int... shape) {
        checkLength(values.length, shape);
        return contiguousOver(values, shape.clone());
    }

    private static void checkLength(int length, int[] shape) {
        if (length != Shapes.numel(shape)) {
            throw new IllegalArgumentException(length + " values cannot fill shape " + Arrays.toString(shape)
                    + " of " + Shapes.numel(shape) + " elements");
        }
    }

    /** 0, 1, ..., n-1. */
    public static Tensor arange(int n) {
        return arange(0f, n, 1f);
    }

    /** start, start+step, ... below end (above end for a negative step), as numpy. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0f || !Float.isFinite(start) || !Float.isFinite(end) || !Float.isFinite(step)) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + "): step must be non-zero and all finite");
        }
        int n = (int) Math.max(0, Math.ceil((end - (double) start) / step));
        Tensor t = empty(n);
        for (int i = 0; i < n; i++) {
            t.data[i] = (float) (start + (double) i * step);
        }
        return t;
    }

    /** The generator every seeded creation uses: L64X128MixRandom, fast, splittable and reproducible. */
    public static RandomGenerator.SplittableGenerator generator(long seed) {
        return (RandomGenerator.SplittableGenerator) RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /** Standard normal samples, reproducible for a seed. */
    public static Tensor randn(long seed, int... shape) {
        return randn(generator(seed), shape);
    }

    /** Standard normal samples drawn from {@code rng}, which advances. */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        Tensor t = empty(shape);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = (float) rng.nextGaussian();
        }
        return t;
    }

    /** Uniform samples in [low, high), reproducible for a seed. */
    public static Tensor uniform(long seed, float low, float high, int... shape) {
        return uniform(generator(seed), low, high, shape);
    }

    /** Uniform samples in [low, high) drawn from {@code rng}, which advances. */
    public static Tensor uniform(RandomGenerator rng, float low, float high, int... shape) {
        if (!(low <= high) || !Float.isFinite(high - low)) {
            throw new IllegalArgumentException("uniform(" + low + ", " + high + "): need finite low <= high");
        }
        Tensor t = empty(shape);
        float width = high - low;
        for (int i = 0; i < t.size; i++) {
            float v = low + width * rng.nextFloat();
            // Rounding can carry low + width·u up to high itself; keep the range half-open, as
            // RandomGenerator.nextFloat(origin, bound) does.
            t.data[i] = v < high || low == high ? v : Math.nextDown(high);
        }
        return t;
    }

    // ------------------------------------------------------------------ shape and access

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of axes (0 for a scalar). */
    public int dim() {
        return shape.length;
    }

    /** Size along an axis (negative counts from the end). */
    public int size(int axis) {
        return shape[Shapes.axis(axis, shape.length)];
    }

    /** The number of elements, the product of the shape. */
    public int numel() {
        return size;
    }

    /** Stride along an axis, in elements. */
    public int stride(int axis) {
        return strides[Shapes.axis(axis, shape.length)];
    }

    /** A copy of the strides. */
    public int[] strides() {
        return strides.clone();
    }

    /**
     * The backing array, for kernels in other modules; element (i, j, ...) is at
     * {@code storageOffset() + i*stride(0) + j*stride(1) + ...}. Writing to it mutates every view.
     */
    public float[] storage() {
        return data;
    }

    /** Where element (0, 0, ...) is in {@link #storage()}. */
    public int storageOffset() {
        return offset;
    }

    /** Whether the elements lie row-major and without gaps in the storage, as {@link #contiguous()} lays them. */
    public boolean isContiguous() {
        if (size == 0) {
            return true; // as torch: no element is out of place (and contiguousStrides gives such shapes odd strides)
        }
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Whether {@code other} has exactly this shape (no broadcasting). */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** The element at {@code index}, one non-negative coordinate per axis. */
    public float get(int... index) {
        return data[flatIndex(index)];
    }

    /** Writes one element in place. */
    public Tensor set(float value, int... index) {
        data[flatIndex(index)] = value;
        return this;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (size != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, got shape " + Arrays.toString(shape));
        }
        return data[offset];
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates, tensor has rank " + shape.length);
        }
        int off = offset;
        for (int i = 0; i < index.length; i++) {
            int ix = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (ix < 0 || ix >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape "
                        + Arrays.toString(shape));
            }
            off += ix * strides[i];
        }
        return off;
    }

    /** The elements in row-major order, as a new array. */
    public float[] toFloatArray() {
        if (size == 0) {
            return new float[0]; // an empty view's offset may lie past its storage (a batch's slice of zero columns)
        }
        if (isContiguous()) {
            return Arrays.copyOfRange(data, offset, offset + size);
        }
        return contiguous().toFloatArray();
    }

    /** The elements in row-major order without copying when this tensor already is exactly that array. */
    float[] denseArray() {
        return isContiguous() && offset == 0 && data.length == size ? data : toFloatArray();
    }

    // ------------------------------------------------------------------ views

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy (from the current {@link BufferPool} scope, if any). */
    public Tensor copy() {
        Tensor out = empty(shape);
        Elementwise.copyInto(this, out);
        return out;
    }

    /** A contiguous copy that outlives any {@link BufferPool} scope. */
    public Tensor persistentCopy() {
        return BufferPool.outsideScope(this::copy);
    }

    /** Same elements, new shape; one dimension may be -1. A view when contiguous, else a copy (as torch). */
    public Tensor reshape(int... newShape) {
        int[] s = inferShape(newShape);
        Tensor c = contiguous();
        return new Tensor(c.data, c.offset, s, Shapes.contiguousStrides(s));
    }

    /** All elements as a 1-d tensor (a 0-d tensor becomes shape [1]), as torch's {@code flatten()}. */
    public Tensor flatten() {
        return reshape(size);
    }

    /** Flattens dimensions [from, to] into one. */
    public Tensor flatten(int from, int to) {
        int f = Shapes.axis(from, shape.length);
        int t = Shapes.axis(to, shape.length);
        if (f > t) {
            throw new IllegalArgumentException("flatten(" + from + ", " + to + "): axis " + f + " comes after axis " + t
                    + " in shape " + Arrays.toString(shape));
        }
        int[] s = new int[shape.length - (t - f)];
        int j = 0;
        for (int i = 0; i < f; i++) {
            s[j++] = shape[i];
        }
        int merged = 1;
        for (int i = f; i <= t; i++) {
            merged *= shape[i];
        }
        s[j++] = merged;
        for (int i = t + 1; i < shape.length; i++) {
            s[j++] = shape[i];
        }
        return reshape(s);
    }

    private int[] inferShape(int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape " + Arrays.toString(shape) + " to "
                            + Arrays.toString(newShape) + ": only one dimension may be -1");
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to "
                        + Arrays.toString(newShape));
            }
            s[infer] = (int) (size / known);
        }
        if (Shapes.numel(s) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " (" + size
                    + " elements) to " + Arrays.toString(newShape));
        }
        return s;
    }

    /** Reorders the axes: result axis i is this tensor's axis {@code order[i]}. A view. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute " + Arrays.toString(order) + " needs " + shape.length
                    + " axes for shape " + Arrays.toString(shape));
        }
        int[] s = new int[order.length];
        int[] st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shapes.axis(order[i], shape.length);
            if (seen[a]) {
                throw new IllegalArgumentException("permute " + Arrays.toString(order) + " repeats axis " + a);
            }
            seen[a] = true;
            s[i] = shape[a];
            st[i] = strides[a];
        }
        return new Tensor(data, offset, s, st);
    }

    /** Swaps two axes. A view. */
    public Tensor transpose(int axis0, int axis1) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int a = Shapes.axis(axis0, shape.length);
        int b = Shapes.axis(axis1, shape.length);
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** The transpose of a 2-d tensor. A view. */
    public Tensor t() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("t() needs a 2-d tensor, got shape " + Arrays.toString(shape));
        }
        return transpose(0, 1);
    }

    /** Elements [start, start+length) along an axis. A view. */
    public Tensor narrow(int axis, int start, int length) {
        int a = Shapes.axis(axis, shape.length);
        if (start < 0 || length < 0 || start + length > shape[a]) {
            throw new IndexOutOfBoundsException("narrow(axis " + a + ", start " + start + ", length " + length
                    + ") is outside shape " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        s[a] = length;
        return new Tensor(data, offset + start * strides[a], s, strides.clone());
    }

    /** Elements [start, end) along an axis, as Python's slice. A view. */
    public Tensor slice(int axis, int start, int end) {
        return narrow(axis, start, end - start);
    }

    /** Element {@code index} along an axis, removing that axis. A view. */
    public Tensor select(int axis, int index) {
        int a = Shapes.axis(axis, shape.length);
        int ix = index < 0 ? index + shape[a] : index;
        if (ix < 0 || ix >= shape[a]) {
            throw new IndexOutOfBoundsException("select(axis " + a + ", index " + index + ") is outside shape "
                    + Arrays.toString(shape));
        }
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != a) {
                s[j] = shape[i];
                st[j++] = strides[i];
            }
        }
        return new Tensor(data, offset + ix * strides[a], s, st);
    }

    /** Inserts an axis of size 1. A view. */
    public Tensor unsqueeze(int axis) {
        int a = Shapes.axis(axis, shape.length + 1);
        int[] s = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == a) {
                s[i] = 1;
                st[i] = a < shape.length ? strides[a] * shape[a] : 1;
            } else {
                s[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return new Tensor(data, offset, s, st);
    }

    /** Removes an axis of size 1. A view. */
    public Tensor squeeze(int axis) {
        int a = Shapes.axis(axis, shape.length);
        if (shape[a] != 1) {
            throw new IllegalArgumentException("squeeze(" + axis + "): axis has size " + shape[a] + " in shape "
                    + Arrays.toString(shape));
        }
        return select(a, 0);
    }

    /**
     * Broadcasts to a larger shape with stride 0 along the new or size-1 axes; -1 keeps an existing
     * axis's size, as in torch. A view.
     */
    public Tensor expand(int... sizes) {
        if (sizes.length < shape.length) {
            throw new IllegalArgumentException("cannot expand shape " + Arrays.toString(shape) + " to "
                    + Arrays.toString(sizes) + ": fewer dimensions");
        }
        int lead = sizes.length - shape.length;
        int[] newShape = sizes.clone();
        for (int i = lead; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                newShape[i] = shape[i - lead];
            }
        }
        int[] st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            if (i < lead) {
                st[i] = 0;
            } else if (shape[i - lead] == newShape[i]) {
                st[i] = strides[i - lead];
            } else if (shape[i - lead] == 1) {
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("cannot expand shape " + Arrays.toString(shape) + " to "
                        + Arrays.toString(sizes));
            }
        }
        return new Tensor(data, offset, newShape, st);
    }

    /** Strides of this tensor as seen broadcast to {@code target} (0 along broadcast axes). */
    int[] stridesBroadcastTo(int[] target) {
        return expand(target).strides;
    }

    // ------------------------------------------------------------------ element-wise

    /** this + other, broadcasting. */
    public Tensor add(Tensor other) { return Elementwise.binary(BinaryOp.ADD, this, other); }
    /** this − other, broadcasting. */
    public Tensor sub(Tensor other) { return Elementwise.binary(BinaryOp.SUB, this, other); }
    /** this · other element by element, broadcasting. */
    public Tensor mul(Tensor other) { return Elementwise.binary(BinaryOp.MUL, this, other); }
    /** this / other, broadcasting. */
    public Tensor div(Tensor other) { return Elementwise.binary(BinaryOp.DIV, this, other); }
    /** this raised to {@code exponent}, broadcasting. */
    public Tensor pow(Tensor exponent) { return Elementwise.binary(BinaryOp.POW, this, exponent); }
    /** The larger of the two, element by element, broadcasting; NaN if either is NaN (as torch). */
    public Tensor maximum(Tensor other) { return Elementwise.binary(BinaryOp.MAXIMUM, this, other); }
    /** The smaller of the two, element by element, broadcasting; NaN if either is NaN (as torch). */
    public Tensor minimum(Tensor other) { return Elementwise.binary(BinaryOp.MINIMUM, this, other); }

    /** this + c. */
    public Tensor add(float c) { return Elementwise.binary(BinaryOp.ADD, this, scalar(c)); }
    /** this − c. */
    public Tensor sub(float c) { return Elementwise.binary(BinaryOp.SUB, this, scalar(c)); }
    /** this · c. */
    public Tensor mul(float c) { return Elementwise.binary(BinaryOp.MUL, this, scalar(c)); }
    /** this / c. */
    public Tensor div(float c) { return Elementwise.binary(BinaryOp.DIV, this, scalar(c)); }

    /** 1 where equal, else 0; likewise the other comparisons. */
    public Tensor eq(Tensor other) { return Elementwise.binary(BinaryOp.EQ, this, other); }
    /** 1 where this != other, else 0, broadcasting. */
    public Tensor ne(Tensor other) { return Elementwise.binary(BinaryOp.NE, this, other); }
    /** 1 where this &lt; other, else 0, broadcasting. */
    public Tensor lt(Tensor other) { return Elementwise.binary(BinaryOp.LT, this, other); }
    /** 1 where this &le; other, else 0, broadcasting. */
    public Tensor le(Tensor other) { return Elementwise.binary(BinaryOp.LE, this, other); }
    /** 1 where this &gt; other, else 0, broadcasting. */
    public Tensor gt(Tensor other) { return Elementwise.binary(BinaryOp.GT, this, other); }
    /** 1 where this &ge; other, else 0, broadcasting. */
    public Tensor ge(Tensor other) { return Elementwise.binary(BinaryOp.GE, this, other); }
    /** 1 where this == c, else 0. */
    public Tensor eq(float c) { return eq(scalar(c)); }
    /** 1 where this != c, else 0. */
    public Tensor ne(float c) { return ne(scalar(c)); }
    /** 1 where this &lt; c, else 0. */
    public Tensor lt(float c) { return lt(scalar(c)); }
    /** 1 where this &le; c, else 0. */
    public Tensor le(float c) { return le(scalar(c)); }
    /** 1 where this &gt; c, else 0. */
    public Tensor gt(float c) { return gt(scalar(c)); }
    /** 1 where this &ge; c, else 0. */
    public Tensor ge(float c) { return ge(scalar(c)); }

    /** Applies any {@link BinaryOp}, broadcasting. */
    Tensor binary(BinaryOp op, Tensor other) {
        return Elementwise.binary(op, this, other);
    }

    /** −x. */
    public Tensor neg() { return unary(UnaryOp.NEG, 0f, 0f); }
    /** e^x. */
    public Tensor exp() { return unary(UnaryOp.EXP, 0f, 0f); }
    /** The natural logarithm. */
    public Tensor log() { return unary(UnaryOp.LOG, 0f, 0f); }
    /** The square root. */
    public Tensor sqrt() { return unary(UnaryOp.SQRT, 0f, 0f); }
    /** |x|. */
    public Tensor abs() { return unary(UnaryOp.ABS, 0f, 0f); }
    /** The hyperbolic tangent. */
    public Tensor tanh() { return unary(UnaryOp.TANH, 0f, 0f); }
    /** The logistic function 1 / (1 + e^−x). */
    public Tensor sigmoid() { return unary(UnaryOp.SIGMOID, 0f, 0f); }
    /** max(x, 0); NaN stays NaN. */
    public Tensor relu() { return unary(UnaryOp.RELU, 0f, 0f); }
    /** x². */
    public Tensor square() { return unary(UnaryOp.SQUARE, 0f, 0f); }
    /** 1 / x. */
    public Tensor reciprocal() { return unary(UnaryOp.RECIPROCAL, 0f, 0f); }
    /** x raised to {@code exponent}. */
    public Tensor pow(float exponent) { return unary(UnaryOp.POW, exponent, 0f); }
    /** x if x > 0 else alpha·(e^x − 1). */
    public Tensor elu(float alpha) { return unary(UnaryOp.ELU, alpha, 0f); }
    /** ELU with alpha 1. */
    public Tensor elu() { return elu(1f); }
    /** log(1 + e^(βx))/β, and x where βx > threshold (torch's defaults: β 1, threshold 20). */
    public Tensor softplus(float beta, float threshold) { return unary(UnaryOp.SOFTPLUS, beta, threshold); }
    /** Softplus with torch's defaults, β 1 and threshold 20. */
    public Tensor softplus() { return softplus(1f, 20f); }
    /** x limited to [min, max]. */
    public Tensor clamp(float min, float max) { return unary(UnaryOp.CLAMP, min, max); }

    /**
     * Applies any {@link UnaryOp} with its parameters {@code p} and {@code q} (see {@link UnaryOp}), for the
     * modules that the kernels package is exported to (autograd); other callers use the named methods above.
     */
    @SuppressWarnings("exports") // UnaryOp is in dev.tempora.tensor.kernels, exported to autograd alone
    public Tensor unary(UnaryOp op, float p, float q) {
        return Elementwise.unary(op, p, q, this);
    }

    /** {@code condition != 0 ? a : b}, broadcasting all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Elementwise.where(condition, a, b);
    }

    /** {@code value} where {@code mask != 0}, else this tensor's element; the mask broadcasts to this shape. */
    public Tensor maskedFill(Tensor mask, float value) {
        // As torch: the result keeps this tensor's shape, so a mask may not enlarge it.
        if (!Arrays.equals(Shapes.broadcast(shape, mask.shape, "maskedFill"), shape)) {
            throw new IllegalArgumentException("maskedFill: mask shape " + Arrays.toString(mask.shape)
                    + " does not broadcast to tensor shape " + Arrays.toString(shape));
        }
        return Elementwise.where(mask, scalar(value), this);
    }

    // ------------------------------------------------------------------ in place

    /** Sets every element to {@code value}. */
    public Tensor fill(float value) {
        if (isContiguous()) {
            Arrays.fill(data, offset, offset + size, value);
        } else {
            Elementwise.copyInto(scalar(value).expand(shape), this);
        }
        return this;
    }

    /** Copies {@code source} (broadcast to this shape) into this tensor. */
    public Tensor copyFrom(Tensor source) {
        Elementwise.copyInto(source.expand(shape), this);
        return this;
    }

    /** this += alpha · other, for tensors of the same shape. */
    public Tensor addInPlace(Tensor other, float alpha) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException("addInPlace: shapes " + Arrays.toString(shape) + " and "
                    + Arrays.toString(other.shape) + " differ");
        }
        if (isContiguous() && other.isContiguous()) {
            ElementwiseKernels.axpy(alpha, other.data, other.offset, data, offset, size);
        } else {
            copyFrom(add(other.mul(alpha)));
        }
        return this;
    }

    /** this += other, for tensors of the same shape. */
    public Tensor addInPlace(Tensor other) {
        return addInPlace(other, 1f);
    }

    /** this *= alpha. */
    public Tensor mulInPlace(float alpha) {
        if (isContiguous()) {
            ElementwiseKernels.scale(alpha, data, offset, size);
        } else {
            copyFrom(mul(alpha));
        }
        return this;
    }

    // ------------------------------------------------------------------ reductions

    /** The sum of all elements, as a 0-d tensor. */
    public Tensor sum() { return Reductions.sum(this, new int[0], false); }
    /** Sums over one axis, which is removed. */
    public Tensor sum(int axis) { return Reductions.sum(this, new int[] {axis}, false); }
    /** Sums over {@code axes}; {@code keepDim} keeps them with length 1. */
    public Tensor sum(int[] axes, boolean keepDim) { return Reductions.sum(this, axes, keepDim); }
    /** The mean of all elements, as a 0-d tensor. */
    public Tensor mean() { return Reductions.mean(this, new int[0], false); }
    /** The mean over one axis, which is removed. */
    public Tensor mean(int axis) { return Reductions.mean(this, new int[] {axis}, false); }
    /** The mean over {@code axes}; {@code keepDim} keeps them with length 1. */
    public Tensor mean(int[] axes, boolean keepDim) { return Reductions.mean(this, axes, keepDim); }
    /** The largest element, as a 0-d tensor (NaN if any element is NaN). */
    public Tensor max() { return Reductions.max(this, new int[0], false); }
    /** The largest element over {@code axes}; {@code keepDim} keeps them with length 1. */
    public Tensor max(int[] axes, boolean keepDim) { return Reductions.max(this, axes, keepDim); }
    /** The smallest element, as a 0-d tensor (NaN if any element is NaN). */
    public Tensor min() { return Reductions.min(this, new int[0], false); }
    /** The smallest element over {@code axes}; {@code keepDim} keeps them with length 1. */
    public Tensor min(int[] axes, boolean keepDim) { return Reductions.min(this, axes, keepDim); }

    /** Index of the largest element along an axis (the first one on ties), as exact floats. */
    public Tensor argmax(int axis, boolean keepDim) { return Reductions.argExtreme(this, axis, keepDim, true); }
    /** Index of the smallest element along an axis (the first one on ties), as exact floats. */
    public Tensor argmin(int axis, boolean keepDim) { return Reductions.argExtreme(this, axis, keepDim, false); }

    /** Variance over axes with Bessel's {@code correction} (1 = sample variance, torch's default). */
    public Tensor variance(int[] axes, boolean keepDim, int correction) {
        return Reductions.variance(this, axes, keepDim, correction);
    }

    /** Softmax along an axis: e^x / Σ e^x, computed stably (the maximum subtracted first). */
    public Tensor softmax(int axis) { return Normalization.softmax(this, axis, false); }
    /** log(softmax(x)) along an axis, computed directly, so it stays finite where softmax underflows to 0. */
    public Tensor logSoftmax(int axis) { return Normalization.softmax(this, axis, true); }

    /**
     * Layer normalisation over the last {@code normalizedDims} axes, with optional elementwise
     * {@code weight} and {@code bias} of that trailing shape (null for none).
     */
    public Tensor layerNorm(int normalizedDims, Tensor weight, Tensor bias, float eps) {
        return Normalization.layerNorm(this, normalizedDims, weight, bias, eps, null, null);
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product as torch.matmul: 1-d operands are promoted, batch dimensions broadcast.
     * Transposed views are handed to GEMM as transposed operands, never copied.
     */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other);
    }

    // ------------------------------------------------------------------ joining and indexing

    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, Tensor... parts) {
        return Indexing.concat(axis, parts);
    }

    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, List<Tensor> parts) {
        return Indexing.concat(axis, parts.toArray(Tensor[]::new));
    }

    /** Joins same-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        Tensor[] expanded = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].sameShape(parts[0])) {
                throw new IllegalArgumentException("stack: shapes " + Arrays.toString(parts[0].shape) + " and "
                        + Arrays.toString(parts[i].shape) + " differ");
            }
            expanded[i] = parts[i].unsqueeze(axis);
        }
        return Indexing.concat(axis, expanded);
    }

    /** Views of consecutive pieces along an axis, of the given sizes (which must sum to its length). */
    public Tensor[] split(int axis, int... sizes) {
        int a = Shapes.axis(axis, shape.length);
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        if (total != shape[a]) {
            throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " sum to " + total
                    + ", axis " + a + " of shape " + Arrays.toString(shape) + " has " + shape[a]);
        }
        Tensor[] out = new Tensor[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = narrow(a, start, sizes[i]);
            start += sizes[i];
        }
        return out;
    }

    /** Picks entries along an axis by index (embedding lookup: {@code table.indexSelect(0, ids)}). */
    public Tensor indexSelect(int axis, int[] indices) {
        return Indexing.indexSelect(this, axis, indices);
    }

    /** {@link #indexSelect(int, int[])} with indices of any shape: the axis is replaced by their shape. */
    public Tensor indexSelect(int axis, Tensor indices) {
        return Indexing.indexSelect(this, axis, indices);
    }

    /** torch.gather: out[i][j][k] = this[i][index[i][j][k]][k] for axis 1, and so on. */
    public Tensor gather(int axis, Tensor index) {
        return Indexing.gather(this, axis, index);
    }

    /**
     * torch.scatter_add (out of place): a copy of this with src[i][j][k] added at [i][index[i][j][k]][k]
     * for axis 1, for every position (i, j, k) of index; src may be larger than index, as in torch.
     */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) {
        return Indexing.scatterAdd(this, axis, index, src);
    }

    // ------------------------------------------------------------------ comparison and printing

    /** True when shapes match and |a − b| ≤ atol + rtol·|b| everywhere (NaNs never match). */
    public boolean allClose(Tensor other, float rtol, float atol) {
        if (!sameShape(other)) {
            return false;
        }
        float[] a = toFloatArray();
        float[] b = other.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    /** As torch: {@code tensor([[1.0000, 2.0000], ...], shape=[2, 2])}, eliding the middle of large tensors. */
    @Override
    public String toString() {
        return Formatting.format(this);
    }
}
