package dev.tempora.gpu.driver;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernels of {@code src/main/cuda} compiled for the CPU against {@code src/emulator/emulator.h}
 * (gpu/build-emulator.sh), called through the foreign-function API. Blocks run one after another and the
 * threads of a block are fibers that meet at every barrier, so a kernel computes here what it computes on a
 * GPU, barring races between blocks. Slow; for parity tests on machines without a GPU.
 */
@SuppressWarnings("restricted") // the foreign-function calls into our own emulator library
public final class EmulatedDriver implements DeviceDriver {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final long MAX_BYTES = Long.MAX_VALUE;

    private final Path library;
    private final MethodHandle allocate;
    private final MethodHandle free;
    private final MethodHandle launch;
    private final MethodHandle lastError;
    private List<Runnable> recording;

    /** Loads the emulator library that {@code gpu/build-emulator.sh} builds from the kernel sources. */
    public EmulatedDriver(Path library) {
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException("no emulator library at " + library + " (gpu/build-emulator.sh builds it)");
        }
        this.library = library;
        SymbolLookup symbols = SymbolLookup.libraryLookup(library, Arena.global());
        allocate = handle(symbols, "tempora_emu_alloc", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        free = handle(symbols, "tempora_emu_free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        lastError = handle(symbols, "tempora_emu_last_error", FunctionDescriptor.of(ValueLayout.ADDRESS));
        launch = handle(symbols, "tempora_emu_launch", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }

    private static MethodHandle handle(SymbolLookup symbols, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = symbols.find(name)
                .orElseThrow(() -> new IllegalArgumentException("the emulator library lacks " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    private static MemorySegment memory(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    @Override
    public String description() {
        return "CPU emulation of the CUDA kernels (" + library.getFileName() + ")";
    }

    @Override
    public long allocate(long bytes) {
        try {
            MemorySegment m = (MemorySegment) allocate.invokeExact(Math.max(bytes, 4L));
            if (m.address() == 0) {
                throw new OutOfMemoryError("emulated device: cannot allocate " + bytes + " bytes");
            }
            return m.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void free(long address) {
        try {
            free.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void upload(long destination, float[] source, int offset, int count) {
        MemorySegment.copy(source, offset, memory(destination, 4L * count), ValueLayout.JAVA_FLOAT, 0, count);
    }

    @Override
    public void upload(long destination, long[] source, int offset, int count) {
        MemorySegment.copy(source, offset, memory(destination, 8L * count), ValueLayout.JAVA_LONG, 0, count);
    }

    @Override
    public void download(long source, float[] destination, int offset, int count) {
        MemorySegment.copy(memory(source, 4L * count), ValueLayout.JAVA_FLOAT, 0, destination, offset, count);
    }

    @Override
    public void fill(long destination, int bits, long count) {
        if (recording != null) {
            recording.add(() -> fill(destination, bits, count));
            return;
        }
        memory(destination, 4 * count).elements(ValueLayout.JAVA_INT).forEach(s -> s.set(ValueLayout.JAVA_INT, 0, bits));
    }

    @Override
    public void copy(long destination, long source, long bytes) {
        if (recording != null) {
            recording.add(() -> copy(destination, source, bytes));
            return;
        }
        MemorySegment.copy(memory(source, bytes), 0, memory(destination, bytes), 0, bytes);
    }

    private List<ProfiledLaunch> profile;

    /** Times each launch on the host's clock (the emulator runs launches one at a time anyway). */
    @Override
    public void setProfiling(boolean on) {
        profile = on ? new ArrayList<>() : null;
    }

    @Override
    public List<ProfiledLaunch> takeProfile() {
        List<ProfiledLaunch> taken = profile == null ? List.of() : List.copyOf(profile);
        if (profile != null) {
            profile.clear();
        }
        return taken;
    }

    @Override
    public void launch(String kernel, int[] grid, int[] block, int sharedBytes, KernelArguments arguments) {
        if (profile != null && recording == null) {
            long t0 = System.nanoTime();
            launchNow(kernel, grid, block, sharedBytes, arguments);
            profile.add(new ProfiledLaunch(kernel, grid.clone(), block.clone(), (System.nanoTime() - t0) / 1e3));
            return;
        }
        launchNow(kernel, grid, block, sharedBytes, arguments);
    }

    private void launchNow(String kernel, int[] grid, int[] block, int sharedBytes, KernelArguments arguments) {
        if (recording != null) {
            recording.add(() -> launch(kernel, grid, block, sharedBytes, arguments));
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, Math.max(1, arguments.count()));
            for (int i = 0; i < arguments.count(); i++) {
                byte[] bytes = arguments.bytes(i);
                MemorySegment value = arena.allocate(bytes.length, 16);
                MemorySegment.copy(bytes, 0, value, ValueLayout.JAVA_BYTE, 0, bytes.length);
                pointers.setAtIndex(ValueLayout.ADDRESS, i, value);
            }
            int status = (int) launch.invokeExact(arena.allocateFrom(kernel), grid[0], grid[1], grid[2],
                    block[0], block[1], block[2], sharedBytes, pointers);
            if (status != 0) {
                MemorySegment message = (MemorySegment) lastError.invokeExact();
                throw new IllegalStateException("emulated launch of " + kernel + " failed: "
                        + message.reinterpret(MAX_BYTES).getString(0));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void synchronize() {
    }

    @Override
    public Graph capture(Runnable body) {
        List<Runnable> steps = new ArrayList<>();
        recording = steps;
        try {
            body.run();
        } finally {
            recording = null;
        }
        return () -> steps.forEach(Runnable::run);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    @Override
    public void close() {
    }
}
