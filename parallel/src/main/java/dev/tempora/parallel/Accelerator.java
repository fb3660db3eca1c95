package dev.tempora.parallel;

import dev.tempora.models.ForecastingModel;
import dev.tempora.models.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A device beside the CPU that can train and run forecasting models (the CUDA backend of the {@code gpu}
 * module, which runs the TFT).
 * Accelerators are found at run time with {@link ServiceLoader}, so this module, and every core module,
 * depends on the JDK alone: the {@code gpu} module registers its implementation and the launcher puts it
 * on the class path when it was built.
 */
public interface Accelerator {

    /** A short name, as the command line takes it ({@code cuda}). */
    String name();

    /** Empty when the device can be used; otherwise why not, in one line (no driver, no device, ...). */
    Optional<String> unavailableReason();

    /** The device in words (name, memory, driver), or the reason it is unavailable. */
    String description();

    /**
     * A training backend on this device for {@code model}, which it starts from. {@code optimizer} is the
     * CPU optimiser the trainer schedules (its learning rate is the one to use at each update) and saves in
     * checkpoints: the backend copies its own state into it in {@link TrainingBackend#copyToHost}.
     *
     * @param model     the model to train, on its own loss
     * @param optimizer the CPU optimiser the trainer schedules
     * @param settings  the training settings
     * @return the backend
     * @throws IllegalArgumentException for a model or settings the device cannot run, saying which
     */
    TrainingBackend trainingBackend(ForecastingModel model, Optimizer optimizer, TrainerSettings settings);

    /**
     * Eval-mode forecasts of {@code model} (its current weights) on this device.
     *
     * @param model the model
     * @return the backend
     * @throws IllegalArgumentException for a model the device cannot run, saying so
     */
    InferenceBackend inferenceBackend(ForecastingModel model);

    /** The installed accelerator named {@code name}, usable, or an exception that says why not. */
    static Accelerator require(String name) {
        List<Accelerator> all = installed();
        Accelerator a = all.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("device '" + name + "': no such accelerator is installed ("
                        + (all.isEmpty() ? "none is; build the gpu module" : "installed: "
                        + all.stream().map(Accelerator::name).toList()) + ")"));
        a.unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("device '" + name + "' is unavailable: " + r);
        });
        return a;
    }

    /** Every accelerator on the class path, in class-path order. */
    static List<Accelerator> installed() {
        List<Accelerator> found = new ArrayList<>();
        ServiceLoader.load(Accelerator.class).forEach(found::add);
        return found;
    }

    /**
     * The one line that says which backend runs: the CPU is the default; an accelerator runs only when asked
     * for ({@code requested}), and then only when it is available. On a CPU run the line names the backend
     * and, when an accelerator is usable, the option that uses it; why an installed accelerator is
     * unavailable (a CUDA library that failed to load, no device) and the device's description are details
     * for {@code verbose} (a plain CPU run has no use for a driver's error text). A requested accelerator
     * that is unavailable always says why.
     *
     * @param requested the device asked for ({@code cpu}, {@code cuda}), or null for the default
     * @param installed the accelerators on the class path ({@link #installed()})
     * @param verbose   whether to add the details: each accelerator's description or why it is unavailable
     * @return one line, starting "backend: "
     */
    static String describeChoice(String requested, List<Accelerator> installed, boolean verbose) {
        if (requested == null || requested.equals("cpu")) {
            Optional<Accelerator> usable = installed.stream().filter(a -> a.unavailableReason().isEmpty()).findFirst();
            if (usable.isPresent()) {
                Accelerator a = usable.get();
                return "backend: CPU (the default; " + a.name() + " is available" + (verbose ? ": " + a.description() : "")
                        + "; --device " + a.name() + " uses it)";
            }
            if (!verbose) {
                return "backend: CPU";
            }
            return "backend: CPU" + (installed.isEmpty() ? " (no accelerator module on the class path)"
                    : " (" + installed.getFirst().name() + " unavailable: " + installed.getFirst().unavailableReason().orElse("") + ")");
        }
        return installed.stream().filter(a -> a.name().equals(requested)).findFirst()
                .map(a -> a.unavailableReason().map(r -> "backend: " + requested + " requested but unavailable: " + r)
                        .orElse("backend: " + a.name() + " (" + a.description() + ")"))
                .orElse("backend: " + requested + " requested but no such accelerator is installed");
    }
}
