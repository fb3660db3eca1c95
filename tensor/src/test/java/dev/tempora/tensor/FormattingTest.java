package dev.tempora.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** toString: torch's layout (4 decimals, aligned nested rows, scientific for extreme values, summaries). */
class FormattingTest {

    @Test
    void vectorsMatricesAndScalars() {
        assertEquals("tensor([1.0000, 2.5000, -3.0000], shape=[3])", Tensor.of(1, 2.5f, -3).toString());
        assertEquals("tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=[2, 2])",
                Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor(3.5000, shape=[])", Tensor.scalar(3.5f).toString());
        assertEquals("tensor([nan, inf, -inf, 0.0000], shape=[4])",
                Tensor.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0).toString());
    }

    @Test
    void higherRanksSeparateBlocksWithABlankLine() {
        String expected = """
                tensor([[[0.0000, 1.0000]],

                        [[2.0000, 3.0000]]], shape=[2, 1, 2])""";
        assertEquals(expected, Tensor.arange(4).reshape(2, 1, 2).toString());
    }

    @Test
    void viewsPrintTheirOwnElements() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals("tensor([[1.0000, 4.0000],\n        [2.0000, 5.0000],\n        [3.0000, 6.0000]], shape=[3, 2])",
                m.t().toString());
        assertEquals("tensor([2.0000, 5.0000], shape=[2])", m.select(1, 1).toString());
    }

    @Test
    void extremeMagnitudesSwitchToScientificNotation() {
        assertEquals("tensor([1.0000e-05, 1.0000e+00], shape=[2])", Tensor.of(1e-5f, 1f).toString());
        assertEquals("tensor([1.0000e+09, 2.0000e+00], shape=[2])", Tensor.of(1e9f, 2f).toString());
        assertEquals("tensor(1.0000e-10, shape=[])", Tensor.scalar(1e-10f).toString());
        assertEquals("tensor([0.0000, 0.0000], shape=[2])", Tensor.zeros(2).toString());
    }

    @Test
    void emptyTensors() {
        assertEquals("tensor([], shape=[0])", Tensor.zeros(0).toString());
        assertEquals("tensor([[],\n        []], shape=[2, 0])", Tensor.zeros(2, 0).toString());
    }

    @Test
    void largeTensorsAreSummarisedAtTheirEdges() {
        assertEquals("tensor([0.0000, 1.0000, 2.0000, ..., 1997.0000, 1998.0000, 1999.0000], shape=[2000])",
                Tensor.arange(2000).toString());
        String matrix = Tensor.arange(2000).reshape(100, 20).toString();
        String[] lines = matrix.split("\n");
        assertEquals(7, lines.length, matrix);
        assertEquals("tensor([[0.0000, 1.0000, 2.0000, ..., 17.0000, 18.0000, 19.0000],", lines[0]);
        assertEquals("        ...,", lines[3]);
        assertEquals("        [1980.0000, 1981.0000, 1982.0000, ..., 1997.0000, 1998.0000, 1999.0000]], shape=[100, 20])",
                lines[6]);
        // At the threshold (1000 elements) nothing is elided.
        assertTrue(!Tensor.arange(1000).toString().contains("..."));
    }
}
