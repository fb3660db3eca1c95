package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimisers against torch's trajectories (models/src/test/python/optimizer_reference.py) and hand-derived steps. */
class OptimizerTest {

    /** loss = Σ p² · [1, 3, −2] + p0·p1, five steps from [1, −2, 0.5]. */
    private static float[] run(Function<List<Variable>, Optimizer> make, int steps) {
        Variable p = Variable.parameter(Tensor.of(1f, -2f, 0.5f));
        Optimizer opt = make.apply(List.of(p));
        Tensor coefficients = Tensor.of(1f, 3f, -2f);
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Variable loss = p.square().mul(Variable.constant(coefficients)).sum()
                    .add(p.narrow(0, 0, 1).mul(p.narrow(0, 1, 1)).sum());
            loss.backward();
            opt.step();
        }
        return p.value().toFloatArray();
    }

    @Test
    void adamMatchesTorch() {
        assertArrayEquals(new float[] {0.750624418258667f, -1.5029546022415161f, 1.001745581626892f},
                run(ps -> new Adam(ps, 0.1), 5), 2e-6f);
    }

    @Test
    void adamWithL2WeightDecayMatchesTorch() {
        assertArrayEquals(new float[] {0.7437989115715027f, -1.5028820037841797f, 1.001745581626892f},
                run(ps -> new Adam(ps, 0.1, 0.9, 0.999, 1e-8, 0.1, false), 5), 2e-6f);
    }

    @Test
    void adamWMatchesTorch() {
        assertArrayEquals(new float[] {0.7076507210731506f, -1.4155648946762085f, 0.9674561023712158f},
                run(ps -> new AdamW(ps, 0.1, 0.1), 5), 2e-6f);
    }

    @Test
    void rangerStartsAsSgdAndSynchronisesEverySixSteps() {
        // Step 1: N_sma = 1 (not rectified), step size 1/(1 − 0.95) = 20 and m = 0.05·g: p −= lr·g.
        Variable p = Variable.parameter(Tensor.of(2f));
        Ranger ranger = new Ranger(List.of(p), 0.1);
        p.square().sum().backward();  // g = 4
        ranger.step();
        assertEquals(2f - 0.1f * 4f, p.value().item(), 1e-6f);

        // Lookahead: after six steps the weights are pulled half-way back to the initial slow copy.
        Variable q = Variable.parameter(Tensor.of(1f));
        Ranger r = new Ranger(List.of(q), 0.01);
        float fast = 1f;
        for (int s = 1; s <= 6; s++) {
            r.zeroGrad();
            q.mul(1f).sum().backward(); // constant gradient 1
            r.step();
            if (s == 5) {
                fast = q.value().item();
            }
        }
        assertTrue(fast < 1f);
        // The sixth fast step is known from the fifth (same rectification branch while N_sma ≤ 5).
        assertTrue(q.value().item() > fast - 0.05f && q.value().item() < 1f, "after sync " + q.value().item());
    }

    @Test
    void clippingScalesToTheMaxNorm() {
        Variable a = Variable.parameter(Tensor.of(0f, 0f));
        Variable b = Variable.parameter(Tensor.of(0f));
        a.setGrad(Tensor.of(3f, 0f));
        b.setGrad(Tensor.of(4f));
        double norm = GradientClipping.clipByGlobalNorm(List.of(a, b), 0.5);
        assertEquals(5.0, norm, 1e-6);
        float c = (float) (0.5 / (5 + 1e-6));
        assertArrayEquals(new float[] {3 * c, 0}, a.grad().toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {4 * c}, b.grad().toFloatArray(), 1e-7f);
        // Below the threshold nothing changes.
        assertEquals(0.5, GradientClipping.clipByGlobalNorm(List.of(a, b), 10.0), 1e-6);
        assertArrayEquals(new float[] {4 * c}, b.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void reduceOnPlateauFollowsTorch() {
        Variable p = Variable.parameter(Tensor.of(0f));
        Adam adam = new Adam(List.of(p), 1.0);
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(adam, 0.5, 2, 1, 0.2);
        // improving, then flat: the 3rd bad epoch (> patience 2) halves the lr, then 1 epoch of cooldown.
        double[] values = {10, 9, 9, 9, 9, 9, 9, 9, 9, 9};
        double[] expectedLr = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25};
        for (int i = 0; i < values.length; i++) {
            plateau.step(values[i]);
            assertEquals(expectedLr[i], adam.learningRate(), 1e-12, "epoch " + i);
        }
        for (int i = 0; i < 8; i++) {
            plateau.step(9);
        }
        assertEquals(0.2, adam.learningRate(), 1e-12, "never below min lr");
    }

    @Test
    void stateRoundTripContinuesBitwise() {
        Function<List<Variable>, Optimizer> make = ps -> new Ranger(ps, 0.05);
        float[] straight = run(make, 5);
        // Run 3 steps, save, restore into a fresh optimiser on a copy of the weights, run 2 more.
        Variable p = Variable.parameter(Tensor.of(1f, -2f, 0.5f));
        Optimizer opt = make.apply(List.of(p));
        Tensor coefficients = Tensor.of(1f, 3f, -2f);
        Runnable step = () -> {
            p.zeroGrad();
            p.square().mul(Variable.constant(coefficients)).sum().add(p.narrow(0, 0, 1).mul(p.narrow(0, 1, 1)).sum())
                    .backward();
        };
        for (int s = 0; s < 3; s++) {
            step.run();
            opt.step();
        }
        Optimizer.State saved = opt.state();
        Optimizer resumed = make.apply(List.of(p));
        resumed.loadState(saved);
        for (int s = 0; s < 2; s++) {
            step.run();
            resumed.step();
        }
        assertArrayEquals(straight, p.value().toFloatArray(), 0f);
        assertFalse(saved.buffers().isEmpty());
    }
}
