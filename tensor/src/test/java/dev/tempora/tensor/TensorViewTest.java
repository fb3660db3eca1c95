package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertCopy;
import static dev.tempora.tensor.TestTensors.assertTensorEquals;
import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static dev.tempora.tensor.TestTensors.sharesStorage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views (shared storage, new shape and strides) and their copies, against hand-computed layouts. */
class TensorViewTest {

    /** 0..23 as (2, 3, 4): element (i, j, k) is 12i + 4j + k. */
    private static Tensor cube() {
        return Tensor.arange(24).reshape(2, 3, 4);
    }

    @Test
    void reshapeOfAContiguousTensorIsAView() {
        Tensor t = cube();
        Tensor r = t.reshape(4, -1);
        assertArrayEquals(new int[] {4, 6}, r.shape());
        assertTrue(sharesStorage(t, r));
        r.set(-1f, 3, 5);
        assertEquals(-1f, t.get(1, 2, 3), "writes through a reshape view reach the base");
        assertArrayEquals(new int[] {24}, t.reshape(-1).shape());
        assertArrayEquals(new int[] {2, 1, 12}, t.reshape(2, 1, -1).shape());
        assertArrayEquals(new int[0], Tensor.of(5f).reshape().shape());
    }

    @Test
    void reshapeOfAStridedTensorCopiesInRowMajorOrder() {
        Tensor t = cube();
        Tensor r = t.permute(2, 0, 1).reshape(4, 6);
        assertCopy(t, r);
        // (k, i, j) row-major: first row is k=0: 0, 4, 8, 12, 16, 20.
        assertArrayEquals(new float[] {0, 4, 8, 12, 16, 20}, r.select(0, 0).toFloatArray());
        assertArrayEquals(new float[] {3, 7, 11, 15, 19, 23}, r.select(0, 3).toFloatArray());
    }

    @Test
    void reshapeErrorsNameBothShapes() {
        Tensor t = cube();
        assertThrowsNaming(IllegalArgumentException.class, () -> t.reshape(5, 5), "[2, 3, 4]", "[5, 5]");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.reshape(-1, -1), "[2, 3, 4]", "[-1, -1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.reshape(5, -1), "[2, 3, 4]", "[5, -1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).reshape(0, -1), "[0, 3]");
    }

    @Test
    void permuteAndTransposeSwapStrides() {
        Tensor t = cube();
        Tensor p = t.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertArrayEquals(new int[] {1, 12, 4}, p.strides());
        assertEquals(t.get(1, 2, 3), p.get(3, 1, 2));
        assertTrue(sharesStorage(t, p));
        Tensor tr = t.transpose(0, -1);
        assertArrayEquals(new int[] {4, 3, 2}, tr.shape());
        assertEquals(13f, tr.get(1, 0, 1));
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertTensorEquals(new int[] {3, 2}, new float[] {1, 4, 2, 5, 3, 6}, m.t().contiguous());
        assertThrowsNaming(IllegalArgumentException.class, () -> t.permute(0, 1), "[0, 1]", "[2, 3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.permute(0, 1, 1), "repeats axis 1");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.t(), "[2, 3, 4]");
    }

    @Test
    void narrowSliceAndSelectOffsetTheView() {
        Tensor t = cube();
        Tensor n = t.narrow(2, 1, 2);
        assertArrayEquals(new int[] {2, 3, 2}, n.shape());
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}, n.toFloatArray());
        assertTensorEquals(n, t.slice(-1, 1, 3));
        Tensor s = t.select(1, -1);
        assertArrayEquals(new int[] {2, 4}, s.shape());
        assertArrayEquals(new float[] {8, 9, 10, 11, 20, 21, 22, 23}, s.toFloatArray());
        assertEquals(0, t.narrow(0, 2, 0).numel(), "an empty narrow at the end is allowed");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> t.narrow(1, 2, 2), "start 2", "length 2", "[2, 3, 4]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> t.narrow(1, -1, 1), "[2, 3, 4]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> t.select(0, 2), "index 2", "[2, 3, 4]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> t.select(0, -3), "index -3", "[2, 3, 4]");
    }

    @Test
    void unsqueezeSqueezeAndFlatten() {
        Tensor t = cube();
        assertArrayEquals(new int[] {1, 2, 3, 4}, t.unsqueeze(0).shape());
        assertArrayEquals(new int[] {2, 3, 1, 4}, t.unsqueeze(2).shape());
        assertArrayEquals(new int[] {2, 3, 4, 1}, t.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {2, 3, 4, 1}, t.unsqueeze(3).shape());
        assertTensorEquals(t, t.unsqueeze(1).squeeze(1));
        assertTensorEquals(t.transpose(0, 2), t.transpose(0, 2).unsqueeze(1).squeeze(1));
        assertThrowsNaming(IllegalArgumentException.class, () -> t.squeeze(1), "squeeze(1)", "size 3", "[2, 3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.unsqueeze(4), "axis 4");
        assertArrayEquals(new int[] {6, 4}, t.flatten(0, 1).shape());
        assertArrayEquals(new int[] {2, 12}, t.flatten(1, -1).shape());
        assertArrayEquals(new int[] {24}, t.flatten(0, -1).shape());
        assertArrayEquals(t.toFloatArray(), t.flatten(0, 2).toFloatArray());
        assertArrayEquals(new int[] {24}, t.flatten().shape());
        assertArrayEquals(new float[] {0, 12, 4, 16, 8, 20}, t.select(2, 0).t().flatten().toFloatArray());
        assertArrayEquals(new int[] {1}, Tensor.scalar(3f).flatten().shape());
        assertTrue(sharesStorage(t, t.flatten(0, 1)));
        assertArrayEquals(new int[] {2, 3, 4}, t.flatten(1, 1).shape());
        assertThrowsNaming(IllegalArgumentException.class, () -> t.flatten(2, 1), "flatten(2, 1)", "[2, 3, 4]");
        // A 0-d tensor gains and loses an axis.
        assertArrayEquals(new int[] {1}, Tensor.scalar(2f).unsqueeze(0).shape());
        assertEquals(2f, Tensor.scalar(2f).unsqueeze(0).squeeze(0).item());
    }

    @Test
    void expandBroadcastsWithZeroStrides() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor e = col.expand(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, e.shape());
        assertArrayEquals(new int[] {0, 1, 0}, e.strides());
        assertEquals(3f, e.get(1, 2, 3));
        assertTrue(sharesStorage(col, e));
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3}, col.expand(3, 2).toFloatArray());
        assertArrayEquals(new float[] {7, 7, 7}, Tensor.scalar(7f).expand(3).toFloatArray());
        assertArrayEquals(new int[] {2, 3, 5}, col.expand(2, -1, 5).shape(), "-1 keeps the size");
        assertArrayEquals(new float[] {1, 2, 3}, col.expand(-1, -1).toFloatArray());
        assertThrowsNaming(IllegalArgumentException.class, () -> col.expand(-1, 3, 1), "[-1, 3, 1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> col.expand(4, 4), "[3, 1]", "[4, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> col.expand(3), "[3, 1]", "[3]");
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor t = cube();
        assertSame(t, t.contiguous());
        Tensor view = t.permute(1, 2, 0);
        Tensor c = view.contiguous();
        assertCopy(t, c);
        assertTrue(c.isContiguous());
        assertTensorEquals(view.shape(), view.toFloatArray(), c);
        Tensor copy = t.copy();
        assertCopy(t, copy);
        copy.set(99f, 0, 0, 0);
        assertEquals(0f, t.get(0, 0, 0));
    }

    @Test
    void writesThroughViewsReachTheBase() {
        Tensor t = Tensor.zeros(3, 4);
        t.narrow(1, 1, 2).fill(5f);
        assertArrayEquals(new float[] {0, 5, 5, 0, 0, 5, 5, 0, 0, 5, 5, 0}, t.toFloatArray());
        t.t().select(0, 3).fill(-1f); // column 3
        assertArrayEquals(new float[] {0, 5, 5, -1, 0, 5, 5, -1, 0, 5, 5, -1}, t.toFloatArray());
        t.select(0, 1).copyFrom(Tensor.of(1, 2, 3, 4));
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.select(0, 1).toFloatArray());
        t.permute(1, 0).narrow(0, 0, 1).set(42f, 0, 2); // element (2, 0)
        assertEquals(42f, t.get(2, 0));
        // Untouched rows keep their values.
        assertArrayEquals(new float[] {0, 5, 5, -1}, t.select(0, 0).toFloatArray());
    }

    @Test
    void viewsOfViewsComposeOffsetsAndStrides() {
        Tensor t = cube();
        Tensor v = t.transpose(0, 2).narrow(0, 1, 2).select(2, 1).unsqueeze(0);
        // transpose -> (k, j, i); k in {1, 2}; i = 1; shape (1, 2, 3): element (0, a, j) = 12 + 4j + (1 + a).
        assertArrayEquals(new int[] {1, 2, 3}, v.shape());
        assertArrayEquals(new float[] {13, 17, 21, 14, 18, 22}, v.toFloatArray());
        assertTrue(sharesStorage(t, v));
    }

    @Test
    void anEmptyViewReadsAsAnEmptyArrayWhereverItsOffsetLies() {
        // a batch's slice of zero categorical columns: the second sample's view starts past the empty storage
        Tensor none = Tensor.zeros(4, 3, 0);
        Tensor second = none.narrow(0, 1, 1);
        assertEquals(0, second.toFloatArray().length);
        assertEquals(0, second.contiguous().toFloatArray().length);
        assertArrayEquals(new int[] {1, 3, 0}, second.shape());
    }
}
