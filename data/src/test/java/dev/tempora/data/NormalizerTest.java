package dev.tempora.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizerTest {

    @Test
    void softplusTransformationIsPtfsInverseSoftplus() {
        // y + ln(-expm1(-(y + eps))): at 1 this is 1 + ln(1 - 1/e)
        assertEquals(1 + Math.log(1 - Math.exp(-1)), Transformation.SOFTPLUS.forward(1.0, Transformation.EPS64), 1e-15);
        assertEquals(0.5413248546129181, Transformation.SOFTPLUS.forward(1.0, Transformation.EPS64), 1e-15);
        // zero stays finite: ln(eps) for float64
        assertEquals(Math.log(Math.ulp(1.0)), Transformation.SOFTPLUS.forward(0.0, Transformation.EPS64), 1e-9);
        assertEquals(-36.04365338911715, Transformation.SOFTPLUS.forward(0.0, Transformation.EPS64), 1e-9);
        assertEquals(25.0, Transformation.SOFTPLUS.forward(25.0, Transformation.EPS64)); // identity above 20
        for (double y : new double[] {0.01, 0.5, 1, 3, 19.5}) {
            assertEquals(y, Transformation.SOFTPLUS.reverse(Transformation.SOFTPLUS.forward(y, Transformation.EPS64)), 1e-12 * Math.max(1, y));
        }
        assertEquals(Math.log(2), Transformation.SOFTPLUS.reverse(0), 1e-15);
        assertEquals(30.0, Transformation.SOFTPLUS.reverse(30.0));
    }

    @Test
    void otherTransformationsFollowPtf() {
        assertEquals(-1 / Transformation.EPS64, Transformation.LOG.forward(0.0, Transformation.EPS64)); // clamped log
        assertEquals(Math.log(5), Transformation.LOG.forward(5, Transformation.EPS64), 1e-15);
        assertEquals(Math.log1p(2), Transformation.LOG1P.forward(2, Transformation.EPS64), 1e-15);
        assertEquals(Math.exp(1.5), Transformation.LOG1P.reverse(1.5), 1e-12); // PTF's reverse of log1p is exp
        assertEquals(Math.expm1(1.5), Transformation.LOG1P.inverse(1.5), 1e-12);
        assertEquals(0.0, Transformation.RELU.reverse(-3));
        assertEquals(-3.0, Transformation.RELU.forward(-3, Transformation.EPS64));
        assertEquals(4.0, Transformation.COUNT.forward(3, Transformation.EPS64));
        assertEquals(Transformation.softplus(2.0), Transformation.COUNT.reverse(2.0));
        assertEquals(9.0, Transformation.SQRT.reverse(3.0));
        assertThrows(IllegalArgumentException.class, () -> Transformation.parse("cube"));
    }

    @Test
    void groupNormalizerMatchesHandComputedValues() {
        TargetNormalizer n = TargetNormalizer.groupNormalizer(List.of("id"), Transformation.NONE);
        double[] y = {1, 2, 3, 10, 20};
        n.fit(y, new int[] {0, 0, 0, 1, 1}, List.of(List.of("a"), List.of("b")));
        double eps = 0.0009765625; // numpy float16 eps
        assertArrayEquals(new double[] {2.0, 1.0 + eps}, n.parameters(List.of("a")), 1e-12);
        double stdB = Math.sqrt(50); // ddof 1: ((10-15)^2 + (20-15)^2) / 1
        assertArrayEquals(new double[] {15.0, stdB + eps}, n.parameters(List.of("b")), 1e-12);
        // an unseen group gets the median of the groups' centers and scales
        assertArrayEquals(new double[] {8.5, (1.0 + eps + stdB + eps) / 2}, n.parameters(List.of("zzz")), 1e-12);
        assertEquals(((3 - 2.0) / (1 + eps)), n.normalize(3, 2.0, 1 + eps, Transformation.EPS64), 1e-12);
        assertEquals(3.0, n.denormalize((3 - 2.0) / (1 + eps), 2.0, 1 + eps), 1e-12);

        TargetNormalizer soft = TargetNormalizer.groupNormalizer(List.of("id"), Transformation.SOFTPLUS);
        soft.fit(new double[] {1, 2, 3}, new int[] {0, 0, 0}, List.of(List.of("a")));
        double[] t = {Transformation.SOFTPLUS.forward(1, Transformation.EPS64), Transformation.SOFTPLUS.forward(2, Transformation.EPS64),
                Transformation.SOFTPLUS.forward(3, Transformation.EPS64)};
        double mean = (t[0] + t[1] + t[2]) / 3;
        double std = Math.sqrt(((t[0] - mean) * (t[0] - mean) + (t[1] - mean) * (t[1] - mean) + (t[2] - mean) * (t[2] - mean)) / 2);
        assertArrayEquals(new double[] {mean, std + eps}, soft.parameters(List.of("a")), 1e-12);

        TargetNormalizer uncentered = new TargetNormalizer(TargetNormalizer.Kind.GROUP, TargetNormalizer.Method.STANDARD, false,
                Transformation.NONE, List.of("id"), null);
        uncentered.fit(new double[] {2, 4}, new int[] {0, 0}, List.of(List.of("a")));
        assertArrayEquals(new double[] {0.0, 3.0 + eps}, uncentered.parameters(List.of("a")), 1e-12);

        TargetNormalizer robust = new TargetNormalizer(TargetNormalizer.Kind.GROUP, TargetNormalizer.Method.ROBUST, true,
                Transformation.NONE, List.of("id"), null);
        robust.fit(new double[] {1, 2, 3, 4, 100}, new int[] {0, 0, 0, 0, 0}, List.of(List.of("a")));
        assertArrayEquals(new double[] {3.0, (4.0 - 2.0) / 2 + eps}, robust.parameters(List.of("a")), 1e-12);
    }

    @Test
    void torchAndEncoderNormalizersMatchHandComputedValues() {
        TargetNormalizer torch = new TargetNormalizer(TargetNormalizer.Kind.TORCH, TargetNormalizer.Method.STANDARD, true,
                Transformation.NONE, List.of(), null);
        torch.fit(new double[] {1, 2, 3, 4}, new int[4], List.of());
        // numpy's population standard deviation: sqrt(1.25)
        assertArrayEquals(new double[] {2.5, Math.sqrt(1.25) + TargetNormalizer.EPS16}, torch.parameters(List.of()), 1e-12);

        TargetNormalizer encoder = TargetNormalizer.encoderNormalizer(Transformation.NONE);
        double[] p = encoder.fitWindow(new float[] {9, 1, 2, 3, 4}, 1, 4);
        // torch.std is unbiased: sqrt(5/3); eps is float32's
        assertEquals(2.5, p[0], 1e-6);
        assertEquals((float) (Math.sqrt(5.0 / 3.0) + Transformation.EPS32), p[1], 1e-6);
    }

    @Test
    void realScalersAreScikitLearns() {
        RealScaler s = RealScaler.fit(RealScaler.Kind.STANDARD, new double[] {1, 2, 3, 4});
        assertEquals(2.5, s.center(), 1e-15);
        assertEquals(Math.sqrt(1.25), s.scale(), 1e-15);
        assertEquals(1.0, RealScaler.fit(RealScaler.Kind.STANDARD, new double[] {7, 7, 7}).scale()); // constant column
        RealScaler r = RealScaler.fit(RealScaler.Kind.ROBUST, new double[] {1, 2, 3, 4, 100});
        assertEquals(3.0, r.center());
        assertEquals(2.0, r.scale());
    }

    @Test
    void labelEncoderIsPtfsNanLabelEncoder() {
        LabelEncoder plain = LabelEncoder.fit(List.of("b", "a", "c", "a"), false);
        assertEquals(List.of("a", "b", "c"), plain.classes());
        assertEquals(0, plain.encode("a"));
        assertEquals(2, plain.encode("c"));
        assertEquals(-1, plain.encode("zzz"));
        LabelEncoder nan = LabelEncoder.fit(List.of("b", "a"), true);
        assertEquals(3, nan.cardinality());
        assertEquals(1, nan.encode("a"));
        assertEquals(0, nan.encode("zzz"));
        assertEquals(0, nan.encode(null));
        assertEquals(null, nan.decode(0));
        LabelEncoder numeric = LabelEncoder.fit(List.of("10", "9", "100"), false);
        assertEquals(List.of("9", "10", "100"), numeric.classes(), "numeric ids sort as numbers, as numpy sorts an int column");
        LabelEncoder extended = LabelEncoder.ofClasses(plain.classes(), false).extend(List.of("0", "d"));
        assertEquals(List.of("a", "b", "c", "0", "d"), extended.classes(), "new classes are appended, old codes kept");
    }
}
