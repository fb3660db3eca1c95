package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertTensorEquals;
import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static dev.tempora.tensor.TestTensors.forEachIndex;
import static dev.tempora.tensor.TestTensors.layouts;
import static dev.tempora.tensor.TestTensors.random;
import static dev.tempora.tensor.TestTensors.sharesStorage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** concat, stack, split, indexSelect, gather and scatterAdd: torch's semantics, by hand and by naive loop. */
class IndexingTest {

    @Test
    void concatAlongEachAxis() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {5, 6}, 1, 2);
        assertTensorEquals(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}, Tensor.concat(0, a, b));
        Tensor c = Tensor.of(new float[] {7, 8}, 2, 1);
        assertTensorEquals(new int[] {2, 3}, new float[] {1, 2, 7, 3, 4, 8}, Tensor.concat(-1, a, c));
        assertTensorEquals(new int[] {2, 3}, new float[] {1, 2, 7, 3, 4, 8}, Tensor.concat(1, List.of(a, c)));
        // Strided parts, and a part of length 0 along the axis.
        assertTensorEquals(new int[] {2, 4}, new float[] {1, 3, 1, 2, 2, 4, 3, 4},
                Tensor.concat(1, a.t(), Tensor.zeros(2, 0), a));
        Tensor single = Tensor.concat(0, a);
        assertTensorEquals(a, single);
        assertTrue(!sharesStorage(a, single), "concat returns a new tensor");
    }

    @Test
    void concatOfLargerStridedPartsMatchesANaiveLoop() {
        Tensor x = random(1, 3, 4, 5);
        Tensor y = random(2, 3, 2, 5);
        for (Tensor xl : layouts(x)) {
            for (Tensor yl : layouts(y)) {
                Tensor out = Tensor.concat(1, xl, yl);
                assertArrayEquals(new int[] {3, 6, 5}, out.shape());
                forEachIndex(out.shape(), i -> assertEquals(i[1] < 4 ? x.get(i) : y.get(i[0], i[1] - 4, i[2]),
                        out.get(i), 0f));
            }
        }
    }

    @Test
    void concatErrorsNameTheShapes() {
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.concat(0), "at least one");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)),
                "[2, 3]", "[2, 4]", "axis 1");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(3)),
                "[2, 3]", "[3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.concat(2, Tensor.zeros(2, 3)), "axis 2");
    }

    @Test
    void stackJoinsAlongANewAxis() {
        Tensor a = Tensor.of(1, 2, 3);
        Tensor b = Tensor.of(4, 5, 6);
        assertTensorEquals(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}, Tensor.stack(0, a, b));
        assertTensorEquals(new int[] {3, 2}, new float[] {1, 4, 2, 5, 3, 6}, Tensor.stack(1, a, b));
        assertTensorEquals(new int[] {3, 2}, new float[] {1, 4, 2, 5, 3, 6}, Tensor.stack(-1, a, b));
        Tensor m = random(3, 2, 3);
        Tensor s = Tensor.stack(1, m, m.mul(2f), m.t().t());
        assertArrayEquals(new int[] {2, 3, 3}, s.shape());
        forEachIndex(s.shape(), i -> assertEquals(m.get(i[0], i[2]) * (i[1] == 1 ? 2 : 1), s.get(i), 0f));
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.stack(0, a, Tensor.zeros(4)), "[3]", "[4]");
    }

    @Test
    void splitReturnsViewsOfTheGivenSizes() {
        Tensor t = Tensor.arange(10).reshape(2, 5);
        Tensor[] parts = t.split(1, 2, 0, 3);
        assertEquals(3, parts.length);
        assertTensorEquals(new int[] {2, 2}, new float[] {0, 1, 5, 6}, parts[0]);
        assertArrayEquals(new int[] {2, 0}, parts[1].shape());
        assertTensorEquals(new int[] {2, 3}, new float[] {2, 3, 4, 7, 8, 9}, parts[2]);
        assertTrue(sharesStorage(t, parts[2]));
        parts[2].set(-1f, 0, 0);
        assertEquals(-1f, t.get(0, 2));
        assertTensorEquals(new int[] {1, 5}, new float[] {5, 6, 7, 8, 9}, t.split(-2, 1, 1)[1]);
        assertThrowsNaming(IllegalArgumentException.class, () -> t.split(1, 2, 2), "[2, 2]", "sum to 4", "[2, 5]");
    }

    // ------------------------------------------------------------------ indexSelect

    @Test
    void indexSelectIsAnEmbeddingLookup() {
        Tensor table = Tensor.arange(12).reshape(4, 3);
        assertTensorEquals(new int[] {3, 3}, new float[] {6, 7, 8, 0, 1, 2, 6, 7, 8}, table.indexSelect(0, new int[] {2, 0, 2}));
        // Index tensors of any shape replace the axis: (V, E) with ids (B, T) gives (B, T, E).
        Tensor ids = Tensor.of(new float[] {3, 1, 0, 3}, 2, 2);
        assertTensorEquals(new int[] {2, 2, 3}, new float[] {9, 10, 11, 3, 4, 5, 0, 1, 2, 9, 10, 11}, table.indexSelect(0, ids));
        assertTensorEquals(new int[] {4, 2}, new float[] {2, 0, 5, 3, 8, 6, 11, 9}, table.indexSelect(1, new int[] {2, 0}));
        assertTensorEquals(new int[] {4, 2}, new float[] {2, 0, 5, 3, 8, 6, 11, 9},
                table.indexSelect(-1, Tensor.of(2, 0)));
        assertArrayEquals(new int[] {0, 3}, table.indexSelect(0, new int[0]).shape());
        // A 0-d index removes the axis, as select does.
        assertTensorEquals(new int[] {3}, new float[] {3, 4, 5}, table.indexSelect(0, Tensor.scalar(1f)));
    }

    @Test
    void indexSelectOnStridedTablesAndMiddleAxes() {
        Tensor x = random(4, 3, 5, 2);
        Tensor ids = Tensor.of(new float[] {4, 0, 4, 2, 1, 3}, 3, 2);
        for (Tensor layout : layouts(x)) {
            Tensor out = layout.indexSelect(1, ids);
            assertArrayEquals(new int[] {3, 3, 2, 2}, out.shape());
            forEachIndex(out.shape(), i -> assertEquals(x.get(i[0], (int) ids.get(i[1], i[2]), i[3]), out.get(i), 0f));
        }
    }

    @Test
    void badIndicesNameTheIndexAndTheShape() {
        Tensor table = Tensor.zeros(4, 3);
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> table.indexSelect(0, new int[] {1, 4}), "4", "[4, 3]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> table.indexSelect(0, new int[] {-1}), "-1", "[4, 3]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> table.indexSelect(1, Tensor.of(1.5f)), "1.5", "[4, 3]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> table.indexSelect(1, Tensor.of(Float.NaN)), "NaN");
    }

    // ------------------------------------------------------------------ gather, scatterAdd

    @Test
    void gatherFollowsTorchsDocumentedExamples() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        // torch.gather(t, 1, tensor([[0, 0], [1, 0]])) = [[1, 1], [4, 3]]
        assertTensorEquals(new int[] {2, 2}, new float[] {1, 1, 4, 3}, t.gather(1, Tensor.of(new float[] {0, 0, 1, 0}, 2, 2)));
        assertTensorEquals(new int[] {2, 2}, new float[] {1, 4, 3, 2}, t.gather(0, Tensor.of(new float[] {0, 1, 1, 0}, 2, 2)));
        // The index may be smaller than the input in the other axes, and longer along its own.
        Tensor x = Tensor.arange(12).reshape(3, 4);
        Tensor index = Tensor.of(new float[] {3, 0, 3, 1, 1, 0}, 2, 3);
        assertTensorEquals(new int[] {2, 3}, new float[] {3, 0, 3, 5, 5, 4}, x.gather(1, index));
        assertTensorEquals(new int[] {2, 3}, new float[] {3, 0, 3, 5, 5, 4}, x.t().gather(0, index.t()).t().contiguous());
    }

    @Test
    void gatherOfARank3TensorMatchesTorchsDefinition() {
        Tensor x = random(5, 3, 4, 5);
        Tensor index = TestTensors.integers(6, 0, 3, 2, 6, 5); // along axis 1 (size 4), longer than 4
        for (Tensor layout : layouts(x)) {
            Tensor out = layout.gather(1, index);
            assertArrayEquals(index.shape(), out.shape());
            // out[i][j][k] = x[i][index[i][j][k]][k]
            forEachIndex(index.shape(), i -> assertEquals(x.get(i[0], (int) index.get(i), i[2]), out.get(i), 0f));
        }
    }

    @Test
    void scatterAddFollowsTorchsDocumentedExample() {
        Tensor src = Tensor.ones(2, 5);
        Tensor zeros = Tensor.zeros(3, 5);
        // torch.zeros(3, 5).scatter_add_(0, tensor([[0, 1, 2, 0, 0]]), ones(2, 5)): src larger than index.
        assertTensorEquals(new int[] {3, 5}, new float[] {1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0},
                zeros.scatterAdd(0, Tensor.of(new float[] {0, 1, 2, 0, 0}, 1, 5), src));
        Tensor index = Tensor.of(new float[] {0, 1, 2, 0, 0, 0, 1, 2, 2, 2}, 2, 5);
        assertTensorEquals(new int[] {3, 5}, new float[] {2, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 2, 1, 1},
                zeros.scatterAdd(0, index, src));
        assertArrayEquals(new float[15], zeros.toFloatArray(), "the input is not modified");
    }

    @Test
    void scatterAddAccumulatesDuplicatesAlongAnyAxis() {
        // Segment sums: add each value into the bucket named by its id.
        Tensor values = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 2, 4);
        Tensor buckets = Tensor.of(new float[] {0, 2, 0, 1, 1, 1, 1, 0}, 2, 4);
        Tensor sums = Tensor.full(0.5f, 2, 3).scatterAdd(1, buckets, values);
        assertTensorEquals(new int[] {2, 3}, new float[] {4.5f, 4.5f, 2.5f, 40.5f, 60.5f, 0.5f}, sums);
        // Strided source and target give the same.
        Tensor stridedSums = TestTensors.padded(Tensor.full(0.5f, 2, 3))
                .scatterAdd(1, buckets, TestTensors.reversedStorage(values));
        assertTensorEquals(sums, stridedSums);
    }

    @Test
    void gatherAndScatterAddRejectBadShapesAndIndices() {
        Tensor x = Tensor.zeros(3, 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> x.gather(1, Tensor.zeros(4)), "[4]", "[3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> x.gather(1, Tensor.zeros(4, 1)), "[4, 1]", "[3, 4]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> x.gather(1, Tensor.full(4f, 3, 1)), "4", "[3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> x.scatterAdd(0, Tensor.zeros(2, 4), Tensor.zeros(2, 3)),
                "[2, 4]", "[2, 3]");
        assertThrowsNaming(IndexOutOfBoundsException.class, () -> x.scatterAdd(0, Tensor.full(3f, 1, 4), Tensor.zeros(1, 4)),
                "3", "[3, 4]");
    }
}
