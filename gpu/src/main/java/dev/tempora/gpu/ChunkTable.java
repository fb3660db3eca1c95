package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A list of device tensors cut into chunks of at most {@link #CHUNK} elements, one block per chunk, and the
 * device table that the multi-tensor kernels of {@code optimizer.cuh} read (its {@code struct ChunkTable}): per
 * tensor two addresses, the size and the offset in the concatenation of all tensors; per chunk its tensor and
 * first element. So one launch covers every parameter without a block ever searching for its tensor.
 *
 * <p>The table is uploaded once and lives outside the device's pool and scopes (it belongs to a long-lived
 * optimiser), until {@link #close}. It also holds one double per chunk of scratch for per-chunk partial sums.
 */
final class ChunkTable implements AutoCloseable {
    /** Elements per chunk: 16 per thread of a 256-thread block. */
    static final int CHUNK = 4096;

    private final GpuDevice device;
    private final int tensors;
    private final int chunks;
    private final long totalElements;
    private final long table;
    private final long partials;
    private boolean closed;

    /**
     * @param first  per tensor, the address the kernels update (parameters for the optimisers, gradients for clipping)
     * @param second per tensor, a second address (gradients for the optimisers), or null
     * @param sizes  per tensor, its element count
     */
    ChunkTable(GpuDevice device, long[] first, long[] second, int[] sizes) {
        if (first.length != sizes.length || (second != null && second.length != sizes.length)) {
            throw new IllegalArgumentException(first.length + " addresses" + (second == null ? "" : ", " + second.length
                    + " second addresses") + " and " + sizes.length + " sizes");
        }
        this.device = device;
        this.tensors = sizes.length;
        long total = 0;
        long chunkCount = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("negative tensor size " + s);
            }
            total += s;
            chunkCount += (s + CHUNK - 1) / CHUNK;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(total + " elements in all: the kernels index them with 32-bit integers");
        }
        this.totalElements = total;
        this.chunks = (int) chunkCount;
        // Layout: first (n longs), second (n longs), sizes (n ints), offsets (n ints), chunk tensors (c ints), chunk
        // starts (c ints); the 64-bit addresses come first so that they are aligned. Little-endian, as the device
        // reads it; uploaded as 64-bit words, the last padded.
        int n = tensors;
        ByteBuffer bytes = ByteBuffer.allocate(8 * Math.max(1, (6 * n + 2 * chunks + 1) / 2))
                .order(ByteOrder.LITTLE_ENDIAN);
        int offset = 0;
        int chunk = 0;
        for (int i = 0; i < n; i++) {
            bytes.putLong(8 * i, first[i]);
            bytes.putLong(8 * (n + i), second == null ? 0 : second[i]);
            bytes.putInt(16 * n + 4 * i, sizes[i]);
            bytes.putInt(20 * n + 4 * i, offset);
            for (int start = 0; start < sizes[i]; start += CHUNK) {
                bytes.putInt(24 * n + 4 * chunk, i);
                bytes.putInt(24 * n + 4 * (chunks + chunk), start);
                chunk++;
            }
            offset += sizes[i];
        }
        long[] words = new long[bytes.capacity() / 8];
        bytes.asLongBuffer().get(words);
        this.table = device.driver().allocate(8L * words.length);
        this.partials = device.driver().allocate(8L * Math.max(1, chunks));
        device.driver().upload(table, words, 0, words.length);
    }

    int chunks() {
        return chunks;
    }

    long totalElements() {
        return totalElements;
    }

    /** Per-chunk scratch for partial sums: {@link #chunks()} doubles. */
    long partials() {
        return partials;
    }

    /** Appends the kernels' {@code ChunkTable table, int chunkSize} arguments. */
    KernelArguments appendTo(KernelArguments arguments) {
        if (closed) {
            throw new IllegalStateException("chunk table already closed");
        }
        long n = tensors;
        long[] pointers = {table, table + 8 * n, table + 16 * n, table + 20 * n, table + 24 * n, table + 24 * n + 4L * chunks};
        return arguments.pointers(pointers, pointers.length).i32(CHUNK);
    }

    /** The launch's grid: one block per chunk. */
    int[] grid() {
        return new int[] {chunks, 1, 1};
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            device.driver().free(table);
            device.driver().free(partials);
        }
    }
}
