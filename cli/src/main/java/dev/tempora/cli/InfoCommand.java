package dev.tempora.cli;

import dev.tempora.parallel.Accelerator;
import dev.tempora.tensor.Parallel;
import dev.tempora.tensor.kernels.VectorSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tempora info}: what this JVM and CPU give Tempora. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Java version, vector species and width, cores, and whether SIMD or the scalar fallback is in use.",
        footer = {"", "Example:", "  ./tempora info --json"})
final class InfoCommand implements Runnable {

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run() {
        String javaVersion = Runtime.version().toString();
        String vm = System.getProperty("java.vm.name") + " (" + System.getProperty("java.vendor") + ")";
        int cores = Runtime.getRuntime().availableProcessors();
        String species = VectorSupport.ENABLED ? "Species[float, " + VectorSupport.LANES + ", S_" + VectorSupport.BITS + "_BIT]" : "none";
        java.util.List<Accelerator> accelerators = Accelerator.installed();
        String gpu = accelerators.isEmpty() ? "none (the gpu module is not on the class path)"
                : accelerators.getFirst().name() + ": " + accelerators.getFirst().description();
        boolean gpuAvailable = !accelerators.isEmpty() && accelerators.getFirst().unavailableReason().isEmpty();
        if (json) {
            System.out.println("{\"java\":\"" + javaVersion + "\",\"simd\":" + VectorSupport.ENABLED
                    + ",\"vector_bits\":" + VectorSupport.BITS + ",\"float_lanes\":" + VectorSupport.LANES
                    + ",\"species\":\"" + species + "\",\"cores\":" + cores + ",\"threads\":" + Parallel.threads()
                    + ",\"reason\":\"" + VectorSupport.REASON.replace("\"", "\\\"") + "\",\"gpu\":" + gpuAvailable
                    + ",\"gpu_description\":\"" + gpu.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
            return;
        }
        System.out.println("Tempora 0.1.0");
        System.out.printf("Java      %s, %s%n", javaVersion, vm);
        System.out.printf("CPU       %d cores available, %s%n", cores, System.getProperty("os.arch"));
        System.out.printf("Threads   %d in the shared fork-join pool (-Dtempora.threads=N to change)%n", Parallel.threads());
        System.out.printf("Vectors   %s%n", species);
        System.out.printf("SIMD      %s%n", VectorSupport.describe());
        System.out.printf("GPU       %s%n", gpu);
    }
}
