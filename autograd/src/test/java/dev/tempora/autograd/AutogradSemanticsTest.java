package dev.tempora.autograd;

import dev.tempora.tensor.BufferPool;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's autograd behaviour, on cases small enough to compute by hand. */
class AutogradSemanticsTest {

    @Test
    void handComputedPolynomial() {
        // y = x² · w + w, at x = 3, w = 2: dy/dx = 2xw = 12, dy/dw = x² + 1 = 10
        Variable x = Variable.parameter(Tensor.scalar(3f));
        Variable w = Variable.parameter(Tensor.scalar(2f));
        Variable y = x.mul(x).mul(w).add(w);
        assertEquals(20f, y.item());
        y.backward();
        assertEquals(12f, x.grad().item());
        assertEquals(10f, w.grad().item());
    }

    @Test
    void broadcastGradientIsSummedToTheInputShape() {
        // y = sum(a + b) with a (2,3), b (3): each b element is used twice.
        Variable a = Variable.parameter(Tensor.zeros(2, 3));
        Variable b = Variable.parameter(Tensor.zeros(3));
        a.add(b).sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, a.grad().toFloatArray());
        assertArrayEquals(new float[] {2, 2, 2}, b.grad().toFloatArray());
        assertArrayEquals(new int[] {3}, b.grad().shape());
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Variable w = Variable.parameter(Tensor.of(1f, 2f));
        w.mul(3f).sum().backward();
        w.mul(3f).sum().backward();
        assertArrayEquals(new float[] {6, 6}, w.grad().toFloatArray());
        Tensor buffer = w.grad();
        w.zeroGrad();
        assertArrayEquals(new float[] {0, 0}, w.grad().toFloatArray());
        assertSame(buffer, w.grad(), "zeroGrad keeps the buffer for the next step");
        w.square().sum().backward();
        assertArrayEquals(new float[] {2, 4}, w.grad().toFloatArray());
    }

    @Test
    void noGradRecordsNothing() {
        Variable w = Variable.parameter(Tensor.of(1f, 2f));
        Variable y;
        try (GradMode.Scope off = GradMode.noGrad()) {
            assertFalse(GradMode.isEnabled());
            y = w.mul(2f).sum();
        }
        assertTrue(GradMode.isEnabled(), "the mode is restored on close");
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
        assertThrows(IllegalStateException.class, y::backward);
        assertNull(w.grad());
    }

    @Test
    void noGradScopesNest() {
        try (GradMode.Scope off = GradMode.noGrad()) {
            try (GradMode.Scope on = GradMode.enableGrad()) {
                assertTrue(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void detachStopsTheGradient() {
        // y = x · detach(x): only the first factor carries a gradient, so dy/dx = x (not 2x).
        Variable x = Variable.parameter(Tensor.of(3f));
        Variable d = x.detach();
        assertFalse(d.requiresGrad());
        assertSame(x.value(), d.value(), "detach shares the value");
        x.mul(d).sum().backward();
        assertArrayEquals(new float[] {3f}, x.grad().toFloatArray());
    }

    @Test
    void secondBackwardThroughAReleasedGraphIsAnError() {
        Variable x = Variable.parameter(Tensor.of(1f, 2f));
        Variable y = x.tanh().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("released"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Variable x = Variable.parameter(Tensor.of(2f));
        Variable y = x.square().sum();
        y.backward(Tensor.ones(), true);
        y.backward(Tensor.ones(), false);
        assertEquals(8f, x.grad().item()); // 2 · (2x) at x = 2
    }

    @Test
    void backwardNeedsAScalarOrAGradient() {
        Variable x = Variable.parameter(Tensor.of(1f, 2f));
        Variable y = x.mul(2f);
        assertThrows(IllegalStateException.class, y::backward);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
        y.backward(Tensor.of(1f, 10f));
        assertArrayEquals(new float[] {2f, 20f}, x.grad().toFloatArray());
    }

    @Test
    void sharedSubexpressionGetsBothContributions() {
        // z = a·a + a with a = 2x; at x = 1: a = 2, dz/da = 2a + 1 = 5, dz/dx = 5 · 2 = 10
        Variable x = Variable.parameter(Tensor.scalar(1f));
        Variable a = x.mul(2f);
        a.mul(a).add(a).backward();
        assertEquals(10f, x.grad().item());
    }

    @Test
    void maxRoutesTiesToTheFirstPositionDeterministically() {
        Variable x = Variable.parameter(Tensor.of(new float[] {1, 5, 5, 2, 7, 7}, 2, 3));
        x.max(new int[] {1}, false).sum().backward();
        assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0}, x.grad().toFloatArray());
    }

    @Test
    void embeddingGradientAddsRepeatedRows() {
        Variable table = Variable.parameter(Tensor.zeros(4, 2));
        Tensor ids = Tensor.of(new float[] {1, 3, 1}, 3);
        table.indexSelect(0, ids).sum().backward();
        assertArrayEquals(new float[] {0, 0, 2, 2, 0, 0, 1, 1}, table.grad().toFloatArray());
    }

    @Test
    void dropoutIsInvertedAndSeeded() {
        Variable x = Variable.parameter(Tensor.ones(10000));
        Variable y = x.dropout(0.25f, true, 5L);
        float[] v = y.value().toFloatArray();
        int kept = 0;
        for (float f : v) {
            assertTrue(f == 0f || Math.abs(f - 1f / 0.75f) < 1e-6f, "kept elements are scaled by 1/(1-p)");
            kept += f != 0f ? 1 : 0;
        }
        assertEquals(7500, kept, 150, "about 1 - p of the elements survive");
        assertArrayEquals(v, x.dropout(0.25f, true, 5L).value().toFloatArray(), "same seed, same mask");
        assertFalse(java.util.Arrays.equals(v, x.dropout(0.25f, true, 6L).value().toFloatArray()));
        assertSame(x, x.dropout(0.25f, false, 5L), "eval mode is the identity");
        y.sum().backward();
        assertArrayEquals(v, x.grad().toFloatArray(), "the gradient uses the same mask");
    }

    @Test
    void leafGradientsSurviveTheStepsBufferPoolScope() {
        BufferPool pool = new BufferPool();
        Variable w = Variable.parameter(Tensor.of(1f, 2f, 3f));
        for (int step = 0; step < 3; step++) {
            try (BufferPool.Scope scope = pool.open()) {
                w.mul(w).sum().backward();
            }
            // Reuse every pooled array with garbage to make sure w.grad was not one of them.
            try (BufferPool.Scope scope = pool.open()) {
                for (int i = 0; i < 20; i++) {
                    Tensor.full(99f, 3);
                    Tensor.full(99f, 1);
                }
            }
        }
        assertArrayEquals(new float[] {6, 12, 18}, w.grad().toFloatArray());
    }
}
