package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Array recycling across scopes, nesting rules, and the ways out of a scope. */
class BufferPoolTest {

    @Test
    void arraysReturnToThePoolWhenTheScopeCloses() {
        BufferPool pool = new BufferPool();
        float[] first;
        try (BufferPool.Scope _ = pool.open()) {
            first = Tensor.full(7f, 100).storage();
        }
        assertEquals(100, pool.pooledFloats());
        try (BufferPool.Scope _ = pool.open()) {
            Tensor zeros = Tensor.zeros(100);
            assertSame(first, zeros.storage(), "the same size is served from the pool");
            assertArrayEquals(new float[100], zeros.toFloatArray(), "zeros() clears a recycled array");
            assertNotSame(first, Tensor.empty(100).storage(), "an array is handed out once per scope");
        }
        assertEquals(200, pool.pooledFloats());
        assertNotSame(first, Tensor.zeros(100).storage(), "outside a scope arrays are ordinary");
    }

    @Test
    void opsInsideAScopeTakeTheirOutputFromThePool() {
        BufferPool pool = new BufferPool();
        Tensor a = Tensor.arange(64);
        float[] recycled;
        try (BufferPool.Scope _ = pool.open()) {
            recycled = a.exp().add(a).sum(new int[] {0}, true).storage();
        }
        try (BufferPool.Scope _ = pool.open()) {
            assertSame(recycled, Tensor.empty(1).storage());
        }
    }

    @Test
    void nestedScopesReturnTheirOwnArrays() {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope _ = pool.open()) {
            float[] held = Tensor.zeros(10).storage();
            float[] inner;
            try (BufferPool.Scope _ = pool.open()) {
                inner = Tensor.zeros(10).storage();
            }
            float[] again = Tensor.zeros(10).storage();
            assertSame(inner, again, "the inner scope's array is free once it closes");
            assertNotSame(held, again, "the outer scope still holds its own");
        }
        assertEquals(20, pool.pooledFloats());
    }

    @Test
    void scopesMustCloseInnermostFirstOnTheirOwnThread() throws Exception {
        BufferPool pool = new BufferPool();
        BufferPool.Scope outer = pool.open();
        BufferPool.Scope inner = pool.open();
        assertThrowsNaming(IllegalStateException.class, outer::close, "innermost first");
        CompletableFuture<Throwable> elsewhere = CompletableFuture.supplyAsync(() -> {
            try {
                inner.close();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertEquals(IllegalStateException.class, elsewhere.get().getClass(), "another thread may not close it");
        inner.close();
        inner.close(); // closing twice is harmless
        outer.close();
        assertNotSame(Tensor.zeros(3).storage(), Tensor.zeros(3).storage(), "no scope is left open");
    }

    @Test
    void outsideScopeAndPersistentCopySurviveTheScope() throws ExecutionException, InterruptedException {
        BufferPool pool = new BufferPool();
        Tensor persistent;
        Tensor outside;
        float[] pooled;
        try (BufferPool.Scope _ = pool.open()) {
            Tensor activation = Tensor.arange(50);
            pooled = activation.storage();
            persistent = activation.persistentCopy();
            outside = BufferPool.outsideScope(() -> Tensor.full(3f, 50));
            // The scope is active again after outsideScope.
            Tensor after = Tensor.zeros(50);
            assertEquals(100, pool.pooledFloats(), "activation and after come from the pool, the others do not");
            assertNotSame(pooled, after.storage());
        }
        try (BufferPool.Scope _ = pool.open()) {
            Tensor reuse1 = Tensor.full(-1f, 50);
            Tensor reuse2 = Tensor.full(-1f, 50);
            assertEquals(100, pool.pooledFloats(), "both reuse freed arrays");
            assertNotSame(persistent.storage(), reuse1.storage());
            assertNotSame(persistent.storage(), reuse2.storage());
            assertNotSame(outside.storage(), reuse1.storage());
            assertNotSame(outside.storage(), reuse2.storage());
        }
        assertArrayEquals(Tensor.arange(50).toFloatArray(), persistent.toFloatArray());
        assertArrayEquals(Tensor.full(3f, 50).toFloatArray(), outside.toFloatArray());
    }

    @Test
    void poolsAreIndependent() {
        BufferPool a = new BufferPool();
        BufferPool b = new BufferPool();
        float[] fromA;
        try (BufferPool.Scope _ = a.open()) {
            fromA = Tensor.zeros(8).storage();
        }
        try (BufferPool.Scope _ = b.open()) {
            assertNotSame(fromA, Tensor.zeros(8).storage());
        }
        assertEquals(8, a.pooledFloats());
        assertEquals(8, b.pooledFloats());
    }
}
