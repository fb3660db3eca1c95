package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertTensorEquals;
import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Creation, element access and the basic accessors of {@link Tensor}, against hand-computed values. */
class TensorCreationTest {

    @Test
    void zerosOnesAndFull() {
        Tensor z = Tensor.zeros(2, 3);
        assertTensorEquals(new int[] {2, 3}, new float[6], z);
        assertArrayEquals(new int[] {3, 1}, z.strides());
        assertEquals(2, z.dim());
        assertEquals(6, z.numel());
        assertTrue(z.isContiguous());
        assertTensorEquals(new int[] {3}, new float[] {1, 1, 1}, Tensor.ones(3));
        assertTensorEquals(new int[] {2, 2}, new float[] {2.5f, 2.5f, 2.5f, 2.5f}, Tensor.full(2.5f, 2, 2));
        assertTensorEquals(new int[] {1}, new float[] {Float.NaN}, Tensor.full(Float.NaN, 1));
    }

    @Test
    void scalarsAndEmptyTensors() {
        Tensor s = Tensor.zeros();
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(0f, s.item());
        assertEquals(3.5f, Tensor.scalar(3.5f).item());
        assertEquals(3.5f, Tensor.scalar(3.5f).get());

        Tensor empty = Tensor.zeros(0, 3);
        assertEquals(0, empty.numel());
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        assertEquals(0, empty.toFloatArray().length);
        assertEquals(0, Tensor.ones(4, 0).numel());
        assertTrue(Tensor.zeros(3, 0).isContiguous(), "an empty tensor has no element out of place");
        assertEquals(0, Tensor.zeros(3, 0, 2).permute(2, 0, 1).copy().numel());
        assertEquals(0, Tensor.zeros(2, 5).narrow(1, 5, 0).t().toFloatArray().length);
    }

    @Test
    void negativeDimensionsAreRejectedNamingTheShape() {
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "[2, -1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.full(1f, -3), "[-3]");
    }

    @Test
    void arangeFollowsNumpy() {
        assertTensorEquals(new int[] {5}, new float[] {0, 1, 2, 3, 4}, Tensor.arange(5));
        assertTensorEquals(new int[] {4}, new float[] {1, 1.25f, 1.5f, 1.75f}, Tensor.arange(1, 2, 0.25f));
        assertTensorEquals(new int[] {3}, new float[] {5, 3, 1}, Tensor.arange(5, 0, -2));
        assertTensorEquals(new int[] {0}, new float[0], Tensor.arange(3, 3, 1));
        assertTensorEquals(new int[] {0}, new float[0], Tensor.arange(0, 5, -1));
        assertTensorEquals(new int[] {0}, new float[0], Tensor.arange(0));
        // numpy.arange(0, 1, 0.1) has 10 elements; the last is 0.9 (computed as start + i·step).
        Tensor tenths = Tensor.arange(0, 1, 0.1f);
        assertEquals(10, tenths.numel());
        assertEquals(0.9f, tenths.get(9), 1e-7f);
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0), "step");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.arange(0, Float.NaN, 1), "finite");
    }

    @Test
    void ofCopiesAndWrapShares() {
        float[] values = {1, 2, 3, 4, 5, 6};
        Tensor copied = Tensor.of(values, 2, 3);
        Tensor wrapped = Tensor.wrap(values, 3, 2);
        values[0] = 100;
        assertEquals(1f, copied.get(0, 0));
        assertEquals(100f, wrapped.get(0, 0));
        assertEquals(6f, copied.get(1, 2));
        assertEquals(4f, wrapped.get(1, 1));
        assertSame(values, wrapped.storage());
        assertTensorEquals(new int[] {3}, new float[] {7, 8, 9}, Tensor.of(7, 8, 9));
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3), "5", "[2, 3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.wrap(new float[7], 2, 3), "7", "[2, 3]");
    }

    @Test
    void randnIsReproducibleAndStandardNormal() {
        Tensor a = Tensor.randn(42, 100, 200);
        assertTensorEquals(a, Tensor.randn(42, 100, 200));
        assertFalse(a.allClose(Tensor.randn(43, 100, 200), 0, 0));
        double mean = 0;
        for (float v : a.toFloatArray()) {
            mean += v;
        }
        mean /= a.numel();
        double variance = 0;
        for (float v : a.toFloatArray()) {
            variance += (v - mean) * (v - mean);
        }
        variance /= a.numel() - 1;
        // 20,000 samples: the mean's standard error is 0.007, the variance's 0.01; allow 5 of each.
        assertEquals(0, mean, 5 * 0.00708);
        assertEquals(1, variance, 5 * 0.01);
        // A generator continues its stream: two draws differ, and replaying the seed replays both.
        RandomGenerator rng = Tensor.generator(7);
        Tensor first = Tensor.randn(rng, 4);
        Tensor second = Tensor.randn(rng, 4);
        assertFalse(first.allClose(second, 0, 0));
        RandomGenerator replay = Tensor.generator(7);
        assertTensorEquals(first, Tensor.randn(replay, 4));
        assertTensorEquals(second, Tensor.randn(replay, 4));
    }

    @Test
    void uniformIsReproducibleAndInsideItsHalfOpenRange() {
        Tensor u = Tensor.uniform(3, -1f, 3f, 50, 400);
        assertTensorEquals(u, Tensor.uniform(3, -1f, 3f, 50, 400));
        double mean = 0;
        for (float v : u.toFloatArray()) {
            assertTrue(v >= -1f && v < 3f, "sample " + v + " outside [-1, 3)");
            mean += v;
        }
        // Uniform on [-1, 3): mean 1, standard deviation 4/√12; standard error over 20,000 samples 0.008.
        assertEquals(1, mean / u.numel(), 5 * 0.0082);
    }

    @Test
    void uniformNeverReturnsItsUpperBound() {
        // The largest nextFloat() there is, 1 − 2⁻²⁴: low + width·that rounds up to high for [1, 2).
        RandomGenerator largest = () -> -1L;
        assertEquals(1f - 0x1p-24f, largest.nextFloat());
        Tensor u = Tensor.uniform(largest, 1f, 2f, 3);
        for (float v : u.toFloatArray()) {
            assertTrue(v < 2f, "uniform(1, 2) returned " + v);
        }
        assertTensorEquals(new int[] {2}, new float[] {5f, 5f}, Tensor.uniform(1, 5f, 5f, 2));
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.uniform(1, 2f, 1f, 2), "2.0", "1.0");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.uniform(1, 0f, Float.NaN, 2), "NaN");
    }

    @Test
    void accessorsReturnCopies() {
        Tensor t = Tensor.zeros(2, 3);
        t.shape()[0] = 99;
        t.strides()[0] = 99;
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new int[] {3, 1}, t.strides());
        assertEquals(3, t.size(-1));
        assertEquals(1, t.stride(-1));
        assertThrowsNaming(IllegalArgumentException.class, () -> t.size(2), "axis 2", "rank 2");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.size(-3), "axis -3", "rank 2");
    }

    @Test
    void getAndSetAddressRowMajorElements() {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        assertEquals(9f, t.get(1, 1, 1));
        assertEquals(11f, t.get(-1, -1, -1));
        assertEquals(4f, t.get(0, -1, 0));
        assertSame(t, t.set(-5f, 1, 0, 1));
        assertEquals(-5f, t.get(1, 0, 1));
        assertEquals(-5f, t.toFloatArray()[7]);
    }

    @Test
    void badIndicesNameTheIndexAndTheShape() {
        Tensor t = Tensor.zeros(2, 3);
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> t.get(2, 0), "[2, 0]", "[2, 3]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> t.get(0, -4), "[0, -4]", "[2, 3]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> t.set(1f, 0, 3), "[0, 3]", "[2, 3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.get(1), "[1]", "rank 2");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.get(1, 1, 1), "[1, 1, 1]", "rank 2");
    }

    @Test
    void itemNeedsExactlyOneElement() {
        assertEquals(4f, Tensor.full(4f, 1, 1, 1).item());
        assertEquals(2f, Tensor.of(1, 2, 3).narrow(0, 1, 1).item());
        assertThrowsNaming(IllegalStateException.class, () -> Tensor.zeros(2).item(), "[2]");
        assertThrowsNaming(IllegalStateException.class, () -> Tensor.zeros(0).item(), "[0]");
    }

    @Test
    void contiguityIgnoresUnitAxesButNotStrides() {
        Tensor t = Tensor.zeros(3, 4);
        assertTrue(t.isContiguous());
        assertFalse(t.t().isContiguous());
        assertFalse(t.narrow(1, 0, 2).isContiguous());
        assertTrue(t.narrow(0, 1, 2).isContiguous(), "whole rows are contiguous");
        assertTrue(t.unsqueeze(1).isContiguous());
        assertTrue(Tensor.zeros(1, 5).t().isContiguous(), "a transposed row is still one contiguous run");
        assertFalse(Tensor.zeros(1).expand(3).isContiguous());
    }

    @Test
    void toFloatArrayIsRowMajorForViews() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.t().toFloatArray());
        assertArrayEquals(new float[] {2, 3, 5, 6}, t.narrow(1, 1, 2).toFloatArray());
        assertArrayEquals(new float[] {4, 5, 6}, t.select(0, 1).toFloatArray());
    }

    @Test
    void allCloseUsesRelativeAndAbsoluteToleranceAndRejectsNaN() {
        Tensor a = Tensor.of(1f, 100f);
        assertTrue(a.allClose(Tensor.of(1.001f, 100.1f), 0, 0.11f));
        assertTrue(a.allClose(Tensor.of(1.001f, 100.1f), 0.0011f, 0));
        assertFalse(a.allClose(Tensor.of(1.001f, 100.1f), 0.0005f, 0));
        assertFalse(Tensor.of(Float.NaN).allClose(Tensor.of(Float.NaN), 1, 1));
        assertFalse(a.allClose(Tensor.of(new float[] {1, 100}, 2, 1), 1, 1), "shapes differ");
        assertTrue(a.sameShape(Tensor.zeros(2)));
        assertFalse(a.sameShape(Tensor.zeros(2, 1)));
    }
}
