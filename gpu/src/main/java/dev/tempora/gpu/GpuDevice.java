package dev.tempora.gpu;

import dev.tempora.gpu.driver.CudaDriver;
import dev.tempora.gpu.driver.DeviceDriver;
import dev.tempora.gpu.driver.EmulatedDriver;
import dev.tempora.gpu.driver.KernelArguments;
import dev.tempora.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One GPU (or its CPU emulation): device tensors, a caching memory pool and kernel launches. Memory freed by
 * a tensor goes back to a per-size free list, never to the driver, so a training step that allocates the
 * same sizes every time costs no {@code cuMemAlloc} after the first step, and a captured CUDA graph's
 * addresses stay valid.
 *
 * <p>Find the GPU with {@link #probe()}: it opens the first CUDA device once and caches either the device
 * or the reason there is none (a missing driver throws {@link UnsatisfiedLinkError} only the first time).
 * A device lives as long as the process (it is shared, so nobody closes it).
 */
public final class GpuDevice {
    /** Threads per block of the 1-d element-wise launches. */
    public static final int BLOCK = 256;
    private static final long ALIGNMENT = 256;

    private static Availability probed;

    private final DeviceDriver driver;
    private final Map<Long, ArrayDeque<Long>> freeBlocks = new HashMap<>();
    private final ArrayDeque<Scope> scopes = new ArrayDeque<>();
    private long bytesAllocated;
    private long launches;
    /** While a graph is being captured: the blocks its body freed, kept from reuse until the graph closes. */
    private List<long[]> captureReserve;

    /** Either a device or the reason there is none. */
    public record Availability(GpuDevice device, String reason) {
        /** Whether there is a device. */
        public boolean available() {
            return device != null;
        }
    }

    GpuDevice(DeviceDriver driver) {
        this.driver = driver;
    }

    /** The CUDA device, opened on the first call; later calls return the same device or the same reason. */
    public static synchronized Availability probe() {
        if (probed == null) {
            if (Boolean.getBoolean("tempora.gpu.disabled")) {
                probed = new Availability(null, "disabled by -Dtempora.gpu.disabled=true");
            } else {
                try {
                    probed = new Availability(new GpuDevice(CudaDriver.open()), null);
                } catch (CudaDriver.UnavailableException e) {
                    probed = new Availability(null, e.getMessage());
                } catch (LinkageError e) { // JCuda's classes are not on the class path
                    probed = new Availability(null, "JCuda is not on the class path (" + e + ")");
                }
            }
        }
        return probed;
    }

    /**
     * The CPU emulation of the kernels, when its library was built (system property
     * {@code tempora.gpu.emulator}, set by the gpu module's tests).
     */
    public static Optional<GpuDevice> emulated() {
        String path = System.getProperty("tempora.gpu.emulator");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            return Optional.empty();
        }
        return Optional.of(new GpuDevice(new EmulatedDriver(Path.of(path))));
    }

    /** The driver this device issues its work through. */
    public DeviceDriver driver() {
        return driver;
    }

    /** The device in words: name, memory, driver version. */
    public String description() {
        return driver.description();
    }

    static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + java.util.Arrays.toString(shape));
            }
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " has more than 2^31 elements");
        }
        return (int) n;
    }

    private static long blockBytes(int numel) {
        return Math.max(ALIGNMENT, (4L * numel + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
    }

    /** A tensor of undefined values. */
    public DeviceTensor empty(int... shape) {
        int n = numel(shape);
        long bytes = blockBytes(n);
        ArrayDeque<Long> free = freeBlocks.get(bytes);
        long address;
        if (free != null && !free.isEmpty()) {
            address = free.pop();
        } else {
            address = driver.allocate(bytes);
            bytesAllocated += bytes;
        }
        DeviceTensor t = new DeviceTensor(this, address, shape, null);
        Scope scope = scopes.peek();
        if (scope != null) {
            scope.owned.add(t);
        }
        return t;
    }

    /** A zeroed tensor, owned by the innermost open scope. */
    public DeviceTensor zeros(int... shape) {
        return empty(shape).zero();
    }

    /** A device copy of {@code source}, owned by the innermost open scope. */
    public DeviceTensor upload(Tensor source) {
        DeviceTensor t = empty(source.shape());
        t.copyFrom(source);
        return t;
    }

    /**
     * A device tensor holding {@code values} (row-major, exactly as many as the shape has), owned by the innermost
     * open scope.
     */
    public DeviceTensor upload(float[] values, int... shape) {
        if (values.length != numel(shape)) {
            throw new IllegalArgumentException(values.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        DeviceTensor t = empty(shape);
        driver.upload(t.address(), values, 0, values.length);
        return t;
    }

    void release(long address, int numel) {
        if (captureReserve != null) {
            captureReserve.add(new long[] {address, numel});
            return;
        }
        freeBlocks.computeIfAbsent(blockBytes(numel), b -> new ArrayDeque<>()).push(address);
    }

    /**
     * Records the launches {@code body} issues as one replayable graph ({@link DeviceDriver#capture}). Memory
     * the body frees is not reused until the graph closes: its replays write to those addresses again, so
     * nothing else may hold them meanwhile (and within the body no two buffers share an address). The body
     * must not copy between host and device or synchronise.
     */
    public DeviceDriver.Graph capture(Runnable body) {
        if (captureReserve != null) {
            throw new IllegalStateException("captures do not nest");
        }
        List<long[]> reserved = new ArrayList<>();
        captureReserve = reserved;
        DeviceDriver.Graph graph;
        try {
            graph = driver.capture(body);
        } finally {
            captureReserve = null;
        }
        return new DeviceDriver.Graph() {
            @Override
            public void launch() {
                graph.launch();
            }

            @Override
            public void close() {
                graph.close();
                for (long[] block : reserved) {
                    release(block[0], (int) block[1]);
                }
                reserved.clear();
            }
        };
    }

    /** Bytes taken from the driver so far (the pool's high-water mark). */
    public long bytesAllocated() {
        return bytesAllocated;
    }

    /** Kernel launches issued so far (a captured graph's count once, when captured). */
    public long launchCount() {
        return launches;
    }

    /** Launches {@code kernel} over {@code n} elements, one thread each, {@link #BLOCK} threads a block. */
    public void launch(String kernel, int n, KernelArguments arguments) {
        if (n == 0) {
            return;
        }
        launches++;
        driver.launch(kernel, new int[] {(n + BLOCK - 1) / BLOCK, 1, 1}, new int[] {BLOCK, 1, 1}, 0, arguments);
    }

    /**
     * Launches {@code kernel} with an explicit grid and block (x, y, z) and {@code sharedBytes} of dynamic shared
     * memory.
     */
    public void launch(String kernel, int[] grid, int[] block, int sharedBytes, KernelArguments arguments) {
        launches++;
        driver.launch(kernel, grid, block, sharedBytes, arguments);
    }

    /** Waits until every launch and copy issued so far has finished. */
    public void synchronize() {
        driver.synchronize();
    }

    /**
     * Opens a scope: tensors made while it is the innermost open scope return to the pool when it closes,
     * except those passed to {@link Scope#keep}.
     */
    public Scope scope() {
        Scope s = new Scope();
        scopes.push(s);
        return s;
    }

    /** The tensors made while this scope was the innermost open one; closing it returns them to the pool. */
    public final class Scope implements AutoCloseable {
        private final List<DeviceTensor> owned = new ArrayList<>();
        /** The scope that was innermost when this one opened (null at the top). */
        private final Scope enclosing = scopes.peek();

        private Scope() {}

        /** Keeps {@code t} alive past this scope (it moves to the enclosing scope, if any). */
        public DeviceTensor keep(DeviceTensor t) {
            if (owned.remove(t) && enclosing != null) {
                enclosing.owned.add(t);
            }
            return t;
        }

        @Override
        public void close() {
            if (scopes.peek() != this) {
                throw new IllegalStateException("device scopes must close innermost first");
            }
            scopes.pop();
            for (DeviceTensor t : owned) {
                t.close();
            }
            owned.clear();
        }
    }
}
