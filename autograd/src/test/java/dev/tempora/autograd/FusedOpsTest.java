package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fused ops against the same maths composed from elementary ops (forward values), and against
 * finite differences (gradients).
 */
class FusedOpsTest {

    private final GradientChecker checker = new GradientChecker();

    private static void assertClose(Tensor expected, Tensor actual, float tol) {
        assertArrayEquals(expected.shape(), actual.shape());
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * Math.max(1f, Math.abs(e[i])), "element " + i);
        }
    }

    // ---------------------------------------------------------------- linear and GLU

    @Test
    void linearMatchesMatmulPlusBias() {
        Tensor x = Tensor.randn(1, 2, 3, 5);
        Tensor w = Tensor.randn(2, 4, 5);
        Tensor b = Tensor.randn(3, 4);
        Variable y = Functional.linear(Variable.constant(x), Variable.constant(w), Variable.constant(b));
        assertClose(x.matmul(w.t()).add(b), y.value(), 1e-5f);
        checker.assertGradientsMatch(in -> Functional.linear(in[0], in[1], in[2]), x, w, b);
        checker.assertGradientsMatch(in -> Functional.linear(in[0], in[1], null), x, w);
        checker.assertGradientsMatch(in -> Functional.linear(in[0].transpose(0, 1), in[1], in[2]),
                Tensor.randn(4, 3, 2, 5), w, b);
    }

    @Test
    void linearEluIsLinearThenEluBitForBit() {
        for (int out : new int[] {20, 3}) {
            Tensor x = Tensor.randn(20, 4, 30, 7);
            Tensor w = Tensor.randn(21, out, 7);
            Tensor b = Tensor.randn(22, out);
            Tensor seed = Tensor.randn(23, 4, 30, out);
            Variable[] fusedIn = {Variable.parameter(x), Variable.parameter(w), Variable.parameter(b)};
            Variable[] unfusedIn = {Variable.parameter(x), Variable.parameter(w), Variable.parameter(b)};
            Variable fused = Functional.linearElu(fusedIn[0], fusedIn[1], fusedIn[2], 1f);
            Variable unfused = Functional.linear(unfusedIn[0], unfusedIn[1], unfusedIn[2]).elu(1f);
            assertArrayEquals(unfused.value().toFloatArray(), fused.value().toFloatArray(), "out " + out);
            fused.mul(Variable.constant(seed)).sum().backward();
            unfused.mul(Variable.constant(seed)).sum().backward();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(unfusedIn[i].grad().toFloatArray(), fusedIn[i].grad().toFloatArray(),
                        "gradient of input " + i + ", out " + out);
            }
        }
        checker.assertGradientsMatch(in -> Functional.linearElu(in[0], in[1], in[2], 1f),
                Tensor.randn(24, 2, 9, 5), Tensor.randn(25, 20, 5), Tensor.randn(26, 20));
        checker.assertGradientsMatch(in -> Functional.linearElu(in[0], in[1], null, 0.7f),
                Tensor.randn(27, 6, 5), Tensor.randn(28, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> Functional.linearElu(Variable.constant(Tensor.randn(29, 2, 5)),
                Variable.constant(Tensor.randn(30, 3, 5)), null, 0f));
    }

    @Test
    void linearAddEluIsLinearPlusContextThenElu() {
        for (int[] contextShape : new int[][] {{4, 1, 20}, {4, 30, 20}}) {
            Tensor x = Tensor.randn(31, 4, 30, 7);
            Tensor w = Tensor.randn(32, 20, 7);
            Tensor b = Tensor.randn(33, 20);
            Tensor context = Tensor.randn(34, contextShape);
            Tensor seed = Tensor.randn(35, 4, 30, 20);
            Variable[] fusedIn = {Variable.parameter(x), Variable.parameter(w), Variable.parameter(b),
                Variable.parameter(context)};
            Variable[] unfusedIn = {Variable.parameter(x), Variable.parameter(w), Variable.parameter(b),
                Variable.parameter(context)};
            Variable fused = Functional.linearAddElu(fusedIn[0], fusedIn[1], fusedIn[2], fusedIn[3], 1f);
            Variable unfused = Functional.linear(unfusedIn[0], unfusedIn[1], unfusedIn[2]).add(unfusedIn[3]).elu(1f);
            String what = "context " + java.util.Arrays.toString(contextShape);
            assertArrayEquals(unfused.value().toFloatArray(), fused.value().toFloatArray(), what);
            fused.mul(Variable.constant(seed)).sum().backward();
            unfused.mul(Variable.constant(seed)).sum().backward();
            for (int i = 0; i < 4; i++) {
                assertClose(unfusedIn[i].grad(), fusedIn[i].grad(), 1e-5f);
            }
        }
        checker.assertGradientsMatch(in -> Functional.linearAddElu(in[0], in[1], in[2], in[3], 1f),
                Tensor.randn(36, 2, 9, 5), Tensor.randn(37, 20, 5), Tensor.randn(38, 20), Tensor.randn(39, 2, 1, 20));
        checker.assertGradientsMatch(in -> Functional.linearAddElu(in[0], in[1], null, in[2], 1f),
                Tensor.randn(40, 6, 5), Tensor.randn(41, 3, 5), Tensor.randn(42, 6, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linearAddElu(Variable.constant(Tensor.randn(43, 2, 9, 5)),
                        Variable.constant(Tensor.randn(44, 3, 5)), null, Variable.constant(Tensor.randn(45, 2, 3)), 1f));
        assertTrue(e.getMessage().contains("addend"), e.getMessage());
    }

    @Test
    void gluMatchesComposition() {
        Tensor x = Tensor.randn(5, 4, 3, 2 * 21);
        Tensor a = x.narrow(2, 0, 21);
        Tensor g = x.narrow(2, 21, 21).sigmoid();
        assertClose(a.mul(g), Functional.glu(Variable.constant(x)).value(), 1e-6f);
        checker.assertGradientsMatch(in -> Functional.glu(in[0]), x);
        checker.assertGradientsMatch(in -> Functional.glu(in[0]), Tensor.randn(6, 4, 6)); // h below a vector
    }

    @Test
    void gateAddNormMatchesGluAddLayerNorm() {
        // 150 rows cross the op's row chunks; 21 and 3 are above and below a vector.
        for (int h : new int[] {21, 3}) {
            Tensor z = Tensor.randn(70, 3, 50, 2 * h);
            Tensor skip = Tensor.randn(71, 3, 50, h);
            Tensor w = Tensor.randn(72, h);
            Tensor b = Tensor.randn(73, h);
            Variable expected = Functional.glu(Variable.constant(z)).add(Variable.constant(skip))
                    .layerNorm(1, Variable.constant(w), Variable.constant(b), 1e-5f);
            Variable fused = Functional.gateAddNorm(Variable.constant(z), Variable.constant(skip), Variable.constant(w),
                    Variable.constant(b), 1e-5f);
            assertClose(expected.value(), fused.value(), 1e-5f);
        }
        checker.assertGradientsMatch(in -> Functional.gateAddNorm(in[0], in[1], in[2], in[3], 1e-5f),
                Tensor.randn(74, 2, 70, 2 * 17), Tensor.randn(75, 2, 70, 17), Tensor.randn(76, 17), Tensor.randn(77, 17));
    }

    @Test
    void gateAddNormWithGateBiasIsTheBiasAddedThenTheGate() {
        for (int h : new int[] {21, 16, 3}) {
            Tensor z = Tensor.randn(80, 3, 50, 2 * h);
            Tensor c = Tensor.randn(81, 2 * h);
            Tensor skip = Tensor.randn(82, 3, 50, h);
            Tensor w = Tensor.randn(83, h);
            Tensor b = Tensor.randn(84, h);
            Variable unfused = Functional.gateAddNorm(Variable.constant(z.add(c)), Variable.constant(skip),
                    Variable.constant(w), Variable.constant(b), 1e-5f);
            Variable fused = Functional.gateAddNorm(Variable.constant(z), Variable.constant(c), Variable.constant(skip),
                    Variable.constant(w), Variable.constant(b), 1e-5f);
            // The bias is added with one rounding, as the linear layer adds it: the same bits.
            assertArrayEquals(unfused.value().toFloatArray(), fused.value().toFloatArray(), "h " + h);
            Variable composed = Functional.glu(Variable.constant(z).add(Variable.constant(c)))
                    .add(Variable.constant(skip)).layerNorm(1, Variable.constant(w), Variable.constant(b), 1e-5f);
            assertClose(composed.value(), fused.value(), 1e-5f);
            // With a tape the op keeps the whole sum and the statistics; without, one chunk: same values.
            Variable zLeaf = Variable.parameter(z);
            Variable recorded = Functional.gateAddNorm(zLeaf, Variable.constant(c), Variable.constant(skip),
                    Variable.constant(w), Variable.constant(b), 1e-5f);
            assertTrue(recorded.requiresGrad());
            assertArrayEquals(fused.value().toFloatArray(), recorded.value().toFloatArray(), "taped, h " + h);
        }
        checker.assertGradientsMatch(in -> Functional.gateAddNorm(in[0], in[1], in[2], in[3], in[4], 1e-5f),
                Tensor.randn(85, 2, 70, 2 * 17), Tensor.randn(86, 2 * 17), Tensor.randn(87, 2, 70, 17),
                Tensor.randn(88, 17), Tensor.randn(89, 17));
        checker.assertGradientsMatch(in -> Functional.gateAddNorm(in[0], in[1], in[2], in[3], in[4], 1e-5f),
                Tensor.randn(90, 5, 2 * 3), Tensor.randn(91, 2 * 3), Tensor.randn(92, 5, 3),
                Tensor.randn(93, 3), Tensor.randn(94, 3));
    }

    @Test
    void gateAddNormRejectsAGateBiasOfTheWrongSize() {
        Variable z = Variable.constant(Tensor.randn(95, 4, 8));
        Variable skip = Variable.constant(Tensor.randn(96, 4, 4));
        Variable w = Variable.constant(Tensor.ones(4));
        Variable b = Variable.constant(Tensor.zeros(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.gateAddNorm(z, Variable.constant(Tensor.zeros(4)), skip, w, b, 1e-5f));
        assertTrue(e.getMessage().contains("gate bias"), e.getMessage());
    }

    @Test
    void weightedSumMatchesStackMultiplySum() {
        Tensor[] inputs = {Tensor.randn(60, 2, 3, 21), Tensor.randn(61, 2, 3, 21), Tensor.randn(62, 2, 3, 21)};
        Tensor weights = Tensor.randn(63, 2, 3, 1, 3).softmax(-1);
        Variable[] in = new Variable[3];
        for (int i = 0; i < 3; i++) {
            in[i] = Variable.constant(inputs[i]);
        }
        Tensor expected = Tensor.stack(-1, inputs).mul(weights).sum(new int[] {-1}, false);
        assertClose(expected, Functional.weightedSum(in, Variable.constant(weights)).value(), 1e-6f);
        checker.assertGradientsMatch(v -> Functional.weightedSum(new Variable[] {v[0], v[1], v[2]}, v[3]),
                inputs[0], inputs[1], inputs[2], weights);
        // Rows shorter than a vector, weights without the unit axis.
        checker.assertGradientsMatch(v -> Functional.weightedSum(new Variable[] {v[0], v[1]}, v[2]),
                Tensor.randn(64, 4, 3), Tensor.randn(65, 4, 3), Tensor.randn(66, 4, 2));
    }

    // ---------------------------------------------------------------- LSTM

    /** torch's LSTM step by step from elementary ops, honouring per-sample lengths. */
    private static Variable[] composedLstm(Variable x, Variable h0, Variable c0, Variable wIh, Variable wHh,
                                           Variable bIh, Variable bHh, int[] lengths) {
        int batch = x.size(0);
        int steps = x.size(1);
        int hidden = wHh.size(1);
        Variable h = h0;
        Variable c = c0;
        Variable[] outputs = new Variable[steps];
        for (int t = 0; t < steps; t++) {
            Variable z = x.select(1, t).matmul(wIh.transpose(0, 1)).add(bIh)
                    .add(h.matmul(wHh.transpose(0, 1))).add(bHh);
            Variable[] gates = z.split(1, hidden, hidden, hidden, hidden);
            Variable i = gates[0].sigmoid();
            Variable f = gates[1].sigmoid();
            Variable g = gates[2].tanh();
            Variable o = gates[3].sigmoid();
            Variable cNew = f.mul(c).add(i.mul(g));
            Variable hNew = o.mul(cNew.tanh());
            float[] active = new float[batch];
            for (int b = 0; b < batch; b++) {
                active[b] = t < lengths[b] ? 1f : 0f;
            }
            Tensor mask = Tensor.of(active, batch, 1);
            c = Variable.where(mask, cNew, c);
            h = Variable.where(mask, hNew, h);
            outputs[t] = Variable.where(mask, hNew, Variable.constant(Tensor.zeros(batch, hidden)));
        }
        return new Variable[] {Variable.stack(1, outputs), h, c};
    }

    @Test
    void lstmMatchesStepByStepComposition() {
        int[] lengths = {4, 0, 2, 3};
        Tensor x = Tensor.randn(10, 4, 4, 3);
        Tensor h0 = Tensor.randn(11, 4, 5);
        Tensor c0 = Tensor.randn(12, 4, 5);
        Tensor wIh = Tensor.randn(13, 20, 3).mul(0.5f);
        Tensor wHh = Tensor.randn(14, 20, 5).mul(0.5f);
        Tensor bIh = Tensor.randn(15, 20);
        Tensor bHh = Tensor.randn(16, 20);
        Variable[] c = {Variable.constant(x), Variable.constant(h0), Variable.constant(c0), Variable.constant(wIh),
                Variable.constant(wHh), Variable.constant(bIh), Variable.constant(bHh)};
        LstmSequence.Result fused = LstmSequence.apply(c[0], c[1], c[2], c[3], c[4], c[5], c[6], lengths);
        Variable[] expected = composedLstm(c[0], c[1], c[2], c[3], c[4], c[5], c[6], lengths);
        assertClose(expected[0].value(), fused.output().value(), 1e-5f);
        assertClose(expected[1].value(), fused.finalHidden().value(), 1e-5f);
        assertClose(expected[2].value(), fused.finalCell().value(), 1e-5f);
        // A zero-length sample keeps its initial state.
        assertClose(h0.select(0, 1), fused.finalHidden().value().select(0, 1), 0f);
    }

    @Test
    void lstmGradientsThroughOutputsAndFinalStates() {
        int[] lengths = {3, 1, 0};
        checker.assertGradientsMatch(in -> {
            LstmSequence.Result r = LstmSequence.apply(in[0], in[1], in[2], in[3], in[4], in[5], in[6], lengths);
            return Variable.concat(1, r.output().flatten(1, 2), r.finalHidden(), r.finalCell().mul(2f));
        }, Tensor.randn(20, 3, 3, 2), Tensor.randn(21, 3, 4), Tensor.randn(22, 3, 4),
                Tensor.randn(23, 16, 2).mul(0.5f), Tensor.randn(24, 16, 4).mul(0.5f),
                Tensor.randn(25, 16), Tensor.randn(26, 16));
    }

    @Test
    void lstmGradientsAtAHiddenSizeOfWholeVectorsWithRunsOfRunningSamples() {
        // Hidden 20 (4H = 80) takes the SIMD recurrent products at every width; six samples make a tile of four
        // rows and a tail, and the lengths split the running samples into several runs at some steps.
        int[] lengths = {4, 0, 4, 2, 4, 3};
        int hidden = 20;
        checker.assertGradientsMatch(in -> {
            LstmSequence.Result r = LstmSequence.apply(in[0], in[1], in[2], in[3], in[4], in[5], in[6], lengths);
            return Variable.concat(1, r.output().flatten(1, 2), r.finalHidden(), r.finalCell());
        }, Tensor.randn(40, 6, 4, 3), Tensor.randn(41, 6, hidden), Tensor.randn(42, 6, hidden),
                Tensor.randn(43, 4 * hidden, 3).mul(0.3f), Tensor.randn(44, 4 * hidden, hidden).mul(0.3f),
                Tensor.randn(45, 4 * hidden), Tensor.randn(46, 4 * hidden));
    }

    @Test
    void lstmWithoutGradientsGivesTheSameBitsAsWithThem() {
        int[] lengths = {7, 2, 0, 7, 5};
        Tensor x = Tensor.randn(50, 5, 7, 3);
        Tensor h0 = Tensor.randn(51, 5, 20);
        Tensor c0 = Tensor.randn(52, 5, 20);
        Tensor wIh = Tensor.randn(53, 80, 3).mul(0.3f);
        Tensor wHh = Tensor.randn(54, 80, 20).mul(0.3f);
        Tensor bIh = Tensor.randn(55, 80);
        Tensor bHh = Tensor.randn(56, 80);
        LstmSequence.Result training = LstmSequence.apply(Variable.parameter(x), Variable.constant(h0),
                Variable.constant(c0), Variable.parameter(wIh), Variable.parameter(wHh), Variable.parameter(bIh),
                Variable.parameter(bHh), lengths);
        assertTrue(training.output().requiresGrad());
        LstmSequence.Result inference;
        try (GradMode.Scope off = GradMode.noGrad()) {
            inference = LstmSequence.apply(Variable.parameter(x), Variable.constant(h0), Variable.constant(c0),
                    Variable.parameter(wIh), Variable.parameter(wHh), Variable.parameter(bIh), Variable.parameter(bHh),
                    lengths);
        }
        assertArrayEquals(training.output().value().toFloatArray(), inference.output().value().toFloatArray());
        assertArrayEquals(training.finalHidden().value().toFloatArray(), inference.finalHidden().value().toFloatArray());
        assertArrayEquals(training.finalCell().value().toFloatArray(), inference.finalCell().value().toFloatArray());
    }

    // ---------------------------------------------------------------- attention

    /** Masked attention composed from elementary ops, per head, as PyTorch Forecasting writes it. */
    private static Variable composedAttention(Variable q, Variable k, Variable v, int[] encLen, int[] decLen,
                                              boolean causal) {
        int batch = q.size(0);
        int td = q.size(1);
        int heads = q.size(2);
        int d = q.size(3);
        int keys = k.size(1);
        int te = keys - td;
        float[] mask = new float[batch * td * keys];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < td; p++) {
                for (int j = 0; j < keys; j++) {
                    boolean blocked = j < te ? j >= encLen[b] : (causal ? j - te >= p : j - te >= decLen[b]);
                    mask[(b * td + p) * keys + j] = blocked ? 1f : 0f;
                }
            }
        }
        Tensor m = Tensor.of(mask, batch, td, keys);
        Variable sum = null;
        for (int h = 0; h < heads; h++) {
            Variable qh = q.select(2, h);
            Variable kh = k.select(2, h);
            Variable scores = qh.matmul(kh.transpose(1, 2)).mul((float) (1 / Math.sqrt(d)));
            Variable a = scores.maskedFill(m, -1e9f).softmax(2);
            Variable head = a.matmul(v);
            sum = sum == null ? head : sum.add(head);
        }
        return sum.mul(1f / heads);
    }

    @Test
    void attentionMatchesComposedMaskedSoftmax() {
        int[] encLen = {3, 1, 0};
        int[] decLen = {4, 2, 4};
        Tensor q = Tensor.randn(30, 3, 4, 2, 3);
        Tensor k = Tensor.randn(31, 3, 7, 2, 3);
        Tensor v = Tensor.randn(32, 3, 7, 3);
        for (boolean causal : new boolean[] {true, false}) {
            Variable expected = composedAttention(Variable.constant(q), Variable.constant(k), Variable.constant(v),
                    encLen, decLen, causal);
            InterpretableAttention.Result fused = InterpretableAttention.apply(Variable.constant(q),
                    Variable.constant(k), Variable.constant(v), encLen, decLen, causal, 0.1f, false, 1L, true);
            assertClose(expected.value(), fused.output().value(), 1e-5f);
            // Weights are a distribution over keys, zero where masked.
            Tensor w = fused.weights();
            assertArrayEquals(new int[] {3, 4, 2, 7}, w.shape());
            Tensor rowSums = w.sum(new int[] {3}, false);
            assertTrue(rowSums.allClose(Tensor.ones(3, 4, 2), 1e-5f, 1e-5f), rowSums.toString());
            assertEquals(0f, w.get(1, 0, 0, 2), "encoder step 2 of a sample with encoder length 1 is masked");
        }
        // Sample 2, decoder step 0, causal: no open key at all -> uniform, as a softmax of all -1e9 is.
        InterpretableAttention.Result r = InterpretableAttention.apply(Variable.constant(q), Variable.constant(k),
                Variable.constant(v), encLen, decLen, true, 0f, false, 1L, true);
        assertEquals(1f / 7, r.weights().get(2, 0, 1, 5), 1e-7f);
    }

    @Test
    void attentionGradients() {
        int[] encLen = {3, 1, 0};
        int[] decLen = {4, 2, 4};
        for (boolean causal : new boolean[] {true, false}) {
            checker.assertGradientsMatch(in -> InterpretableAttention.apply(in[0], in[1], in[2], encLen, decLen,
                    causal, 0.2f, true, 9L, false).output(),
                    Tensor.randn(40, 3, 4, 2, 3), Tensor.randn(41, 3, 7, 2, 3), Tensor.randn(42, 3, 7, 3));
        }
    }

    @Test
    void attentionGradientsWithHeadSizeTwo() {
        // The TFT demo's head size has its own SIMD path; 37 decoder steps span three vectors of
        // queries at every width up to 16 lanes, so keys open to a whole block, keys on the causal
        // diagonal and a partial last block all take part.
        int[] encLen = {6, 0};
        int[] decLen = {37, 20};
        for (boolean causal : new boolean[] {true, false}) {
            checker.assertGradientsMatch(in -> InterpretableAttention.apply(in[0], in[1], in[2], encLen, decLen,
                    causal, 0.2f, true, 9L, false).output(),
                    Tensor.randn(43, 2, 37, 3, 2), Tensor.randn(44, 2, 43, 3, 2), Tensor.randn(45, 2, 43, 2));
        }
    }

    @Test
    void attentionDropoutActsOnHeadOutputsOnlyWhenTraining() {
        int[] encLen = {5, 5};
        int[] decLen = {3, 3};
        Tensor q = Tensor.randn(50, 2, 3, 4, 2);
        Tensor k = Tensor.randn(51, 2, 8, 4, 2);
        Tensor v = Tensor.randn(52, 2, 8, 2);
        Variable[] c = {Variable.constant(q), Variable.constant(k), Variable.constant(v)};
        Tensor eval = InterpretableAttention.apply(c[0], c[1], c[2], encLen, decLen, true, 0.5f, false, 3L, false).output().value();
        Tensor noDrop = InterpretableAttention.apply(c[0], c[1], c[2], encLen, decLen, true, 0f, true, 3L, false).output().value();
        Tensor train = InterpretableAttention.apply(c[0], c[1], c[2], encLen, decLen, true, 0.5f, true, 3L, false).output().value();
        assertClose(noDrop, eval, 0f);
        assertTrue(!train.allClose(eval, 1e-3f, 1e-3f), "dropout changes the training output");
    }
}
