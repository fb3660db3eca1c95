package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;

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
     * @param first  per tensor, the address the kernels update (parameters for Adam, gradients for clipping)
     * @param second per tensor, a second address (gradients for Adam), or null
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
        // Layout in 32-bit words: first (2n), second (2n), sizes (n), offsets (n), chunk tensors (c), chunk starts (c);
        // the 64-bit addresses come first so that they are aligned.
        int n = tensors;
        int[] words = new int[6 * n + 2 * chunks];
        int offset = 0;
        int chunk = 0;
        for (int i = 0; i < n; i++) {
            putLong(words, 2 * i, first[i]);
            putLong(words, 2 * n + 2 * i, second == null ? 0 : second[i]);
            words[4 * n + i] = sizes[i];
            words[5 * n + i] = offset;
            for (int start = 0; start < sizes[i]; start += CHUNK) {
                words[6 * n + chunk] = i;
                words[6 * n + chunks + chunk] = start;
                chunk++;
            }
            offset += sizes[i];
        }
        this.table = device.driver().allocate(4L * Math.max(1, words.length));
        this.partials = device.driver().allocate(8L * Math.max(1, chunks));
        uploadWords(device, table, words);
    }

    private static void putLong(int[] words, int at, long value) {
        words[at] = (int) value; // little-endian, as the device reads a long long
        words[at + 1] = (int) (value >>> 32);
    }

    /** Uploads 32-bit words through the float upload, bit for bit. */
    static void uploadWords(GpuDevice device, long address, int[] words) {
        float[] bits = new float[words.length];
        for (int i = 0; i < words.length; i++) {
            bits[i] = Float.intBitsToFloat(words[i]);
            // A NaN pattern could in principle be canonicalised on the way (never on x86-64 or AArch64); refuse
            // rather than upload a wrong address.
            if (Float.floatToRawIntBits(bits[i]) != words[i]) {
                throw new IllegalStateException("this JVM does not keep NaN payloads: cannot upload an address table");
            }
        }
        device.driver().upload(address, bits, 0, bits.length);
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
