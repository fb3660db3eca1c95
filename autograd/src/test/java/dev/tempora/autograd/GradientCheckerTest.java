package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker must pass correct gradients and reject wrong ones, even slightly wrong ones. */
class GradientCheckerTest {

    /** x·tanh(x) with a backward we control: scale 1 is right, anything else is wrong. */
    private static Variable xTanhX(Variable x, float backwardScale, float backwardBias) {
        Tensor v = x.value();
        Tensor t = v.tanh();
        Tensor y = v.mul(t);
        return Variable.fromOp(y, (g, sink) -> {
            // d/dx x·tanh x = tanh x + x·(1 − tanh² x)
            Tensor d = t.add(v.mul(t.square().neg().add(1f)));
            sink.accumulate(0, g.mul(d).mul(backwardScale).add(backwardBias));
        }, x);
    }

    @Test
    void correctBackwardPasses() {
        var r = new GradientChecker().check(in -> xTanhX(in[0], 1f, 0f), Tensor.randn(1, 4, 5));
        assertTrue(r.passed(), r.report());
        assertTrue(r.worstRelativeError() < 1e-4, "float32 noise should be far below the tolerance: " + r.worstRelativeError());
    }

    @Test
    void backwardWrongByOnePercentFails() {
        var r = new GradientChecker().check(in -> xTanhX(in[0], 1.01f, 0f), Tensor.randn(2, 4, 5));
        assertFalse(r.passed(), "a gradient 1% too large must fail");
    }

    @Test
    void backwardWithSmallOffsetFails() {
        var r = new GradientChecker().check(in -> xTanhX(in[0], 1f, 0.01f), Tensor.randn(3, 4, 5));
        assertFalse(r.passed(), "a gradient off by 0.01 must fail");
    }

    @Test
    void wrongSignOnOneInputIsReportedForThatInput() {
        var r = new GradientChecker().check(in -> {
            Variable a = in[0];
            Variable b = in[1];
            return Variable.fromOp(a.value().mul(b.value()), (g, sink) -> {
                sink.accumulate(0, g.mul(b.value()));
                sink.accumulate(1, g.mul(a.value()).neg()); // wrong sign
            }, a, b);
        }, Tensor.randn(4, 3, 3), Tensor.randn(5, 3, 3));
        assertFalse(r.passed());
        assertTrue(r.report().contains("input 1"), r.report());
        assertFalse(r.report().contains("input 0 "), r.report());
    }

    @Test
    void assertGradientsMatchThrowsWithReport() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> new GradientChecker().assertGradientsMatch(in -> xTanhX(in[0], 0.9f, 0f), Tensor.randn(6, 3)));
        assertTrue(e.getMessage().contains("analytic"), e.getMessage());
    }

    @Test
    void stepMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new GradientChecker().step(0.01));
    }
}
