package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Shape arithmetic, against numpy's rules and hand-computed cases. */
class ShapesTest {

    @Test
    void numelCountsElementsAndRejectsBadShapes() {
        assertEquals(1, Shapes.numel(new int[0]));
        assertEquals(24, Shapes.numel(new int[] {2, 3, 4}));
        assertEquals(0, Shapes.numel(new int[] {0, 5}));
        assertThrowsNaming(IllegalArgumentException.class, () -> Shapes.numel(new int[] {2, -1}), "[2, -1]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Shapes.numel(new int[] {65536, 65536}),
                "[65536, 65536]", "4294967296");
    }

    @Test
    void contiguousStridesAreRowMajor() {
        assertArrayEquals(new int[] {12, 4, 1}, Shapes.contiguousStrides(new int[] {2, 3, 4}));
        assertArrayEquals(new int[0], Shapes.contiguousStrides(new int[0]));
        assertArrayEquals(new int[] {1}, Shapes.contiguousStrides(new int[] {7}));
    }

    @Test
    void broadcastFollowsNumpy() {
        // The examples of numpy's broadcasting documentation.
        assertArrayEquals(new int[] {8, 7, 6, 5}, Shapes.broadcast(new int[] {8, 1, 6, 1}, new int[] {7, 1, 5}, "op"));
        assertArrayEquals(new int[] {5, 4}, Shapes.broadcast(new int[] {5, 4}, new int[] {1}, "op"));
        assertArrayEquals(new int[] {15, 3, 5}, Shapes.broadcast(new int[] {15, 3, 5}, new int[] {15, 1, 5}, "op"));
        assertArrayEquals(new int[] {3}, Shapes.broadcast(new int[0], new int[] {3}, "op"));
        assertArrayEquals(new int[] {0}, Shapes.broadcast(new int[] {0}, new int[] {1}, "op"));
        assertArrayEquals(new int[0], Shapes.broadcast(new int[0], new int[0], "op"));
        assertThrowsNaming(IllegalArgumentException.class, () -> Shapes.broadcast(new int[] {3}, new int[] {4}, "add"),
                "add", "[3]", "[4]", "3 vs 4");
        assertThrowsNaming(IllegalArgumentException.class,
                () -> Shapes.broadcast(new int[] {2, 1}, new int[] {8, 4, 3}, "mul"), "mul", "[2, 1]", "[8, 4, 3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Shapes.broadcast(new int[] {0}, new int[] {2}, "op"),
                "[0]", "[2]");
    }

    @Test
    void axesAreNormalisedSortedAndChecked() {
        assertEquals(2, Shapes.axis(-1, 3));
        assertEquals(0, Shapes.axis(-3, 3));
        assertEquals(1, Shapes.axis(1, 3));
        assertThrowsNaming(IllegalArgumentException.class, () -> Shapes.axis(3, 3), "axis 3", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> Shapes.axis(-4, 3), "axis -4", "rank 3");
        assertThrowsNaming(IllegalArgumentException.class, () -> Shapes.axis(0, 0), "rank 0");
        assertArrayEquals(new int[] {0, 1, 2}, Shapes.axes(new int[0], 3), "no axes means all");
        assertArrayEquals(new int[] {0, 2}, Shapes.axes(new int[] {-1, 0}, 3));
        assertThrowsNaming(IllegalArgumentException.class, () -> Shapes.axes(new int[] {1, -2}, 3), "axis 1", "twice");
    }

    @Test
    void reducedShapes() {
        assertArrayEquals(new int[] {2, 4}, Shapes.reduced(new int[] {2, 3, 4}, new int[] {1}, false));
        assertArrayEquals(new int[] {2, 1, 4}, Shapes.reduced(new int[] {2, 3, 4}, new int[] {1}, true));
        assertArrayEquals(new int[0], Shapes.reduced(new int[] {2, 3}, new int[] {0, 1}, false));
        assertArrayEquals(new int[] {1, 1}, Shapes.reduced(new int[] {2, 3}, new int[] {0, 1}, true));
    }

    @Test
    void broadcastAxesAreWhereAGradientMustBeSummed() {
        assertArrayEquals(new int[] {0, 2}, Shapes.broadcastAxes(new int[] {3, 1}, new int[] {2, 3, 4}));
        assertArrayEquals(new int[] {0, 1}, Shapes.broadcastAxes(new int[] {4}, new int[] {2, 3, 4}));
        assertArrayEquals(new int[0], Shapes.broadcastAxes(new int[] {2, 3}, new int[] {2, 3}));
        assertArrayEquals(new int[0], Shapes.broadcastAxes(new int[] {1, 1}, new int[] {1, 1}));
        assertArrayEquals(new int[] {0, 1}, Shapes.broadcastAxes(new int[0], new int[] {2, 3}));
        assertEquals("[2, 3]", Shapes.toString(new int[] {2, 3}));
    }
}
