package dev.tempora.gpu.driver;

import static jcuda.driver.JCudaDriver.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * An NVIDIA GPU through JCuda's driver API: one context, one non-blocking stream, and the module loaded from
 * the PTX resource {@code dev/tempora/gpu/kernels.ptx} with {@code cuModuleLoadData}, so the machine needs
 * only the NVIDIA driver ({@code libcuda.so.1}), no CUDA toolkit. Open it through {@link #open()}, which
 * turns every way of failing (no JCuda natives, no driver, no device, an old driver that rejects the PTX)
 * into one {@link UnavailableException} with the reason.
 */
public final class CudaDriver implements DeviceDriver {
    private static final String PTX_RESOURCE = "/dev/tempora/gpu/kernels.ptx";
    /** Kernels may use up to this much dynamic shared memory (the opt-in limit, above the default 48 KiB). */
    private static final int MAX_DYNAMIC_SHARED = 96 * 1024;
    private static final CUdeviceptr NULL = new CUdeviceptr();

    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final CUstream stream = new CUstream();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final String description;
    private Thread current;

    /** Why the GPU cannot be used, in one line. */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private CudaDriver(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        CUdevice device = new CUdevice();
        cuDeviceGet(device, ordinal);
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        current = Thread.currentThread();
        cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
        cuModuleLoadData(module, ptx());
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        long[] memory = new long[1];
        cuDeviceTotalMem(memory, device);
        int[] version = new int[1];
        cuDriverGetVersion(version);
        int[] major = new int[1];
        int[] minor = new int[1];
        cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        description = String.format("%s (compute %d.%d, %.0f GiB), CUDA driver %d.%d",
                new String(name, StandardCharsets.US_ASCII).trim().replace("\0", ""), major[0], minor[0],
                memory[0] / (1024.0 * 1024 * 1024), version[0] / 1000, version[0] % 1000 / 10);
    }

    /** Opens device 0, or says why it cannot. */
    public static CudaDriver open() throws UnavailableException {
        try {
            return new CudaDriver(0);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new UnavailableException("JCuda's native library did not load (" + firstLine(e.getMessage())
                    + "); it needs the NVIDIA driver's libcuda.so.1", e);
        } catch (RuntimeException e) { // jcuda.CudaException: no device, driver too old for the PTX, ...
            throw new UnavailableException("CUDA: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }

    private static byte[] ptx() {
        try (InputStream in = CudaDriver.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + PTX_RESOURCE + " on the class path (gpu/build-ptx.sh makes it)");
            }
            byte[] text = in.readAllBytes();
            byte[] terminated = new byte[text.length + 1]; // cuModuleLoadData reads a NUL-terminated string
            System.arraycopy(text, 0, terminated, 0, text.length);
            return terminated;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void makeCurrent() {
        Thread t = Thread.currentThread();
        if (t != current) {
            cuCtxSetCurrent(context);
            current = t;
        }
    }

    private static CUdeviceptr at(long address) {
        return NULL.withByteOffset(address);
    }

    /** A CUdeviceptr whose address Java can read (the accessor is protected in JCuda). */
    private static final class Allocation extends CUdeviceptr {
        long address() {
            return getNativePointer() + getByteOffset();
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public long allocate(long bytes) {
        makeCurrent();
        Allocation a = new Allocation();
        // A capturing thread may not call cuMemAlloc in the thread-local capture mode: the pool grows during a
        // capture (GpuDevice.capture keeps the body's blocks for its replays), so allocate in relaxed mode, as
        // PyTorch's caching allocator does. The allocation is not part of the graph.
        int[] mode = {CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED};
        cuThreadExchangeStreamCaptureMode(mode);
        try {
            cuMemAlloc(a, Math.max(bytes, 1));
        } finally {
            cuThreadExchangeStreamCaptureMode(mode);
        }
        return a.address();
    }

    @Override
    public void free(long address) {
        makeCurrent();
        cuMemFree(at(address));
    }

    @Override
    public void upload(long destination, float[] source, int offset, int count) {
        makeCurrent();
        // Synchronous with respect to the host array; ordered after earlier work by the stream sync.
        cuStreamSynchronize(stream);
        cuMemcpyHtoD(at(destination), Pointer.to(source).withByteOffset(4L * offset), 4L * count);
    }

    @Override
    public void upload(long destination, long[] source, int offset, int count) {
        makeCurrent();
        cuStreamSynchronize(stream);
        cuMemcpyHtoD(at(destination), Pointer.to(source).withByteOffset(8L * offset), 8L * count);
    }

    @Override
    public void download(long source, float[] destination, int offset, int count) {
        makeCurrent();
        cuStreamSynchronize(stream);
        cuMemcpyDtoH(Pointer.to(destination).withByteOffset(4L * offset), at(source), 4L * count);
    }

    @Override
    public void fill(long destination, int bits, long count) {
        makeCurrent();
        cuMemsetD32Async(at(destination), bits, count, stream);
    }

    @Override
    public void copy(long destination, long source, long bytes) {
        makeCurrent();
        cuMemcpyDtoDAsync(at(destination), at(source), bytes, stream);
    }

    private CUfunction function(String kernel) {
        return functions.computeIfAbsent(kernel, name -> {
            CUfunction f = new CUfunction();
            try {
                cuModuleGetFunction(f, module, name);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("no kernel named '" + name + "' in " + PTX_RESOURCE, e);
            }
            cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                    MAX_DYNAMIC_SHARED);
            return f;
        });
    }

    /** Clock cycles the profiler's spin kernel holds the stream: about 25 µs at the H100's 1.98 GHz. */
    private static final long SPIN_CYCLES = 50_000;
    private java.util.List<ProfiledLaunch> profile;
    private jcuda.driver.CUevent profileStart;
    private jcuda.driver.CUevent profileEnd;

    @Override
    public void setProfiling(boolean on) {
        makeCurrent();
        if (on && profileStart == null) {
            profileStart = new jcuda.driver.CUevent();
            profileEnd = new jcuda.driver.CUevent();
            cuEventCreate(profileStart, 0);
            cuEventCreate(profileEnd, 0);
        }
        profile = on ? new java.util.ArrayList<>() : null;
    }

    @Override
    public java.util.List<ProfiledLaunch> takeProfile() {
        java.util.List<ProfiledLaunch> taken = profile == null ? java.util.List.of() : java.util.List.copyOf(profile);
        if (profile != null) {
            profile.clear();
        }
        return taken;
    }

    @Override
    public void launch(String kernel, int[] grid, int[] block, int sharedBytes, KernelArguments arguments) {
        if (profile != null) {
            // A spin kernel first keeps the stream busy while the host enqueues the start event, the kernel
            // and the end event, so the events time the kernel alone, not the host's launch latency.
            launchNow("spin_wait", new int[] {1, 1, 1}, new int[] {1, 1, 1}, 0, new KernelArguments().i64(SPIN_CYCLES));
            cuEventRecord(profileStart, stream);
            launchNow(kernel, grid, block, sharedBytes, arguments);
            cuEventRecord(profileEnd, stream);
            cuEventSynchronize(profileEnd);
            float[] ms = new float[1];
            cuEventElapsedTime(ms, profileStart, profileEnd);
            profile.add(new ProfiledLaunch(kernel, grid.clone(), block.clone(), ms[0] * 1e3));
            return;
        }
        launchNow(kernel, grid, block, sharedBytes, arguments);
    }

    private void launchNow(String kernel, int[] grid, int[] block, int sharedBytes, KernelArguments arguments) {
        makeCurrent();
        Pointer[] values = new Pointer[arguments.count()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Pointer.to(arguments.bytes(i));
        }
        try {
            cuLaunchKernel(function(kernel), grid[0], grid[1], grid[2], block[0], block[1], block[2], sharedBytes,
                    stream, Pointer.to(values), null);
        } catch (RuntimeException e) {
            throw new IllegalStateException(kernel + " grid " + java.util.Arrays.toString(grid) + " block "
                    + java.util.Arrays.toString(block) + " shared " + sharedBytes + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void synchronize() {
        makeCurrent();
        cuStreamSynchronize(stream);
    }

    @Override
    public Graph capture(Runnable body) {
        makeCurrent();
        cuStreamSynchronize(stream);
        cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
        CUgraph graph = new CUgraph();
        try {
            body.run();
        } finally {
            cuStreamEndCapture(stream, graph);
        }
        CUgraphExec executable = new CUgraphExec();
        cuGraphInstantiate(executable, graph, 0);
        cuGraphDestroy(graph);
        return new Graph() {
            @Override
            public void launch() {
                makeCurrent();
                cuGraphLaunch(executable, stream);
            }

            @Override
            public void close() {
                cuGraphExecDestroy(executable);
            }
        };
    }

    @Override
    public void close() {
        makeCurrent();
        cuStreamSynchronize(stream);
        cuModuleUnload(module);
        cuStreamDestroy(stream);
    }
}
