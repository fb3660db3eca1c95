package dev.tempora.gpu.tft;

import dev.tempora.gpu.DeviceAdam;
import dev.tempora.gpu.DeviceOptimizer;
import dev.tempora.gpu.DeviceRanger;
import dev.tempora.gpu.DeviceGradientClipping;
import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.gpu.autograd.DeviceDropoutSeeds;
import dev.tempora.gpu.autograd.DeviceUnary;
import dev.tempora.gpu.autograd.DeviceVariable;
import dev.tempora.gpu.autograd.ElementwiseOps;
import dev.tempora.gpu.autograd.LossOps;
import dev.tempora.gpu.autograd.Tape;
import dev.tempora.gpu.driver.DeviceDriver;
import dev.tempora.models.FeatureInterpolation;
import dev.tempora.models.Module;
import dev.tempora.models.ResampleNorm;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TemporalFusionTransformer} trained and run on the device, its parameters resident there: the same
 * config, parameters copied once from the CPU model by their state-dict names, and a forward that reproduces
 * {@code TemporalFusionTransformer.forward} op for op ({@link TftForward}), dropout masks included (the CPU's
 * seeds, slot by slot). A training step is the forward, PyTorch Forecasting's quantile loss, the backward,
 * gradient clipping by global norm and Adam, all on the device; {@link #copyParametersToCpu} brings the
 * trained values back for checkpoints and the CLI.
 *
 * <p>With graph capture on, the first step runs as it is (it loads the kernels and fills the memory pool),
 * the second records forward, backward and clipping as one CUDA graph for the batch buffers it was given,
 * and every later step copies its seeds, replays the graph and launches Adam (whose bias corrections change
 * every step, so it stays outside the graph): a handful of driver calls instead of a thousand launches.
 */
public final class DeviceTemporalFusionTransformer implements AutoCloseable {
    /** Dropout calls one forward may make (the TFT makes about 20 plus one per real variable). */
    private static final int SEED_SLOTS = 256;

    private final GpuDevice device;
    private final TftConfig config;
    final DeviceTftParameters parameters;
    /** Per variable selection, its single-variable GRNs in groups of equal shape (see {@link #singleGrnGroups}). */
    private final Map<String, List<List<String>>> grnGroups;
    private final DeviceDropoutSeeds seeds;
    private final Map<Long, DeviceVariable> interpolations = new HashMap<>();
    private final float[] quantiles;
    private final float maxGradNorm;
    private final DeviceOptimizer optimizer;
    private final DeviceGradientClipping clipping;
    private final DeviceTensor lossValue;
    /** The gradients' global norm before clipping, from the last training step. */
    private final DeviceTensor normValue;
    private final java.util.Map<DeviceTftBatch, DeviceDriver.Graph> graphs = new java.util.IdentityHashMap<>();
    private final boolean captureSteps;
    private boolean warmedUp;

    /**
     * @param model        the CPU model whose config and current parameters this starts from
     * @param learningRate Adam's (betas 0.9, 0.999, eps 1e-8, no weight decay, as {@code Adam(parameters, lr)})
     * @param maxGradNorm  the gradient clipping's global norm
     * @param captureSteps whether training steps replay a captured CUDA graph
     */
    public DeviceTemporalFusionTransformer(GpuDevice device, TemporalFusionTransformer model, double learningRate,
                                           float maxGradNorm, boolean captureSteps) {
        this(device, model, "adam", learningRate, 0, maxGradNorm, captureSteps);
    }

    /**
     * @param optimizer   {@code adam} (betas 0.9, 0.999, eps 1e-8, L2 decay), {@code adamw} (decoupled decay) or
     *                    {@code ranger}, each as the CPU optimiser of that name with the trainer's settings
     * @param maxGradNorm the gradient clipping's global norm (infinite: no clipping)
     */
    public DeviceTemporalFusionTransformer(GpuDevice device, TemporalFusionTransformer model, String optimizer,
                                           double learningRate, double weightDecay, float maxGradNorm,
                                           boolean captureSteps) {
        this.device = device;
        this.config = model.config;
        this.grnGroups = singleGrnGroups(model);
        List<List<String>> layoutGroups = new ArrayList<>(attentionGroups(config));
        layoutGroups.addAll(singleGrnParameterGroups(model, grnGroups));
        this.parameters = new DeviceTftParameters(device, model, layoutGroups);
        this.seeds = new DeviceDropoutSeeds(device, SEED_SLOTS);
        this.quantiles = new float[config.quantiles().size()];
        for (int i = 0; i < quantiles.length; i++) {
            quantiles[i] = config.quantiles().get(i);
        }
        this.maxGradNorm = maxGradNorm;
        long[] values = {parameters.values().address()};
        long[] gradients = {parameters.gradients().address()};
        int[] sizes = {parameters.values().numel()};
        this.optimizer = switch (optimizer) {
            case "adam" -> new DeviceAdam(device, values, gradients, sizes, learningRate, 0.9, 0.999, 1e-8, weightDecay);
            case "adamw" -> new DeviceAdam(device, values, gradients, sizes, learningRate, 0.9, 0.999, 1e-8, weightDecay,
                    true);
            case "ranger" -> new DeviceRanger(device, values, gradients, sizes, learningRate, weightDecay);
            default -> throw new IllegalArgumentException("no device optimiser '" + optimizer + "' (adam, adamw, ranger)");
        };
        this.clipping = new DeviceGradientClipping(device, gradients, sizes);
        this.lossValue = device.zeros(1);
        this.normValue = device.zeros(1);
        this.captureSteps = captureSteps;
        makeInterpolations(model);
    }

    /** The attention heads' query and key projections, laid out as one (heads·d, H) matrix and one bias each. */
    private static List<List<String>> attentionGroups(TftConfig config) {
        List<List<String>> groups = new ArrayList<>();
        for (String layer : List.of("q_layers", "k_layers")) {
            for (String kind : List.of("weight", "bias")) {
                List<String> group = new ArrayList<>();
                for (int h = 0; h < config.attentionHeadSize(); h++) {
                    group.add("multihead_attn." + layer + "." + h + "." + kind);
                }
                groups.add(group);
            }
        }
        return groups;
    }

    /** The variable selection networks, by their state-dict prefix. */
    static final List<String> VARIABLE_SELECTIONS = List.of("static_variable_selection", "encoder_variable_selection",
            "decoder_variable_selection");

    /**
     * The groups of each variable selection's single-variable GRNs that run as one (their parameters laid out
     * stacked): the variables with a GRN (the prescaled reals), in the network's order, grouped by equal
     * shape (fc1's weight: the prescaled size may differ between variables), at most 16 a group.
     */
    private static Map<String, List<List<String>>> singleGrnGroups(TemporalFusionTransformer model) {
        Map<String, dev.tempora.autograd.Variable> state = model.stateDict();
        Map<String, List<List<String>>> groups = new java.util.LinkedHashMap<>();
        for (String vsn : VARIABLE_SELECTIONS) {
            String prefix = vsn + ".single_variable_grns.";
            Map<List<Integer>, List<String>> byShape = new java.util.LinkedHashMap<>();
            for (String key : state.keySet()) {
                if (key.startsWith(prefix) && key.endsWith(".fc1.weight")) {
                    String variable = key.substring(prefix.length(), key.length() - ".fc1.weight".length());
                    List<Integer> shape = java.util.Arrays.stream(state.get(key).shape()).boxed().toList();
                    byShape.computeIfAbsent(shape, s -> new ArrayList<>()).add(variable);
                }
            }
            List<List<String>> list = new ArrayList<>();
            for (List<String> same : byShape.values()) {
                for (int i = 0; i < same.size(); i += 16) {
                    list.add(List.copyOf(same.subList(i, Math.min(same.size(), i + 16))));
                }
            }
            groups.put(vsn, list);
        }
        return groups;
    }

    /** Each GRN group's parameters, name by name (fc1.weight, fc1.bias, ...), as layout groups. */
    private static List<List<String>> singleGrnParameterGroups(TemporalFusionTransformer model,
                                                               Map<String, List<List<String>>> grnGroups) {
        List<List<String>> groups = new ArrayList<>();
        java.util.Set<String> names = model.stateDict().keySet();
        for (Map.Entry<String, List<List<String>>> e : grnGroups.entrySet()) {
            String prefix = e.getKey() + ".single_variable_grns.";
            for (List<String> members : e.getValue()) {
                String first = prefix + members.get(0) + ".";
                for (String name : names) {
                    if (name.startsWith(first)) {
                        String suffix = name.substring(first.length());
                        groups.add(members.stream().map(v -> prefix + v + "." + suffix).toList());
                    }
                }
            }
        }
        return groups;
    }

    /** The groups of {@code vsn}'s single-variable GRNs (variable names) that run as one. */
    List<List<String>> singleGrnGroups(String vsn) {
        return grnGroups.getOrDefault(vsn, List.of());
    }

    /**
     * The interpolation matrices of every ResampleNorm under {@code module} that changes sizes (the GRNs'
     * residuals, the variable selections' embeddings), uploaded once: a captured step may copy nothing from
     * the host.
     */
    private void makeInterpolations(Module module) {
        if (module instanceof ResampleNorm r && r.inputSize != r.outputSize) {
            int in = r.inputSize;
            int out = r.outputSize;
            interpolations.computeIfAbsent((long) in << 32 | out,
                    key -> DeviceVariable.constant(device.upload(FeatureInterpolation.matrix(in, out))));
        }
        module.children().values().forEach(this::makeInterpolations);
    }

    /** The constant (in, out) interpolation matrix. */
    DeviceVariable interpolation(int in, int out) {
        DeviceVariable m = interpolations.get((long) in << 32 | out);
        if (m == null) {
            throw new IllegalStateException("no interpolation matrix from " + in + " to " + out + " features");
        }
        return m;
    }

    /** The configuration of the CPU model this one was built from. */
    public TftConfig config() {
        return config;
    }

    DeviceDropoutSeeds seeds() {
        return seeds;
    }

    /** Device buffers for a batch of this shape (the target may be null for inference). */
    public DeviceTftBatch upload(dev.tempora.models.ModelInputs inputs, Tensor target) {
        return new DeviceTftBatch(device, inputs, target == null ? Tensor.zeros(inputs.batchSize(), inputs.decoderSteps())
                : target);
    }

    /**
     * One training step: forward in training mode with the dropout masks the CPU draws in a
     * {@code DropoutSeeds} scope opened with {@code dropoutSeed}, the quantile loss, the backward, clipping
     * and Adam. Asynchronous: {@link #lastLoss()} reads the loss.
     */
    public void trainStep(DeviceTftBatch batch, long dropoutSeed) {
        computeClippedGradients(batch, dropoutSeed);
        optimizer.step();
    }

    /**
     * A training step without the update: forward, loss, backward and clipping, from the graph captured for
     * {@code batch}'s buffers when steps are captured (each distinct buffer set gets its own graph, after one
     * eager step has sized the memory pool). Asynchronous: {@link #lastLoss()} and {@link #lastGradientNorm()}
     * read the results; {@link #applyUpdate} then moves the weights.
     */
    public void computeClippedGradients(DeviceTftBatch batch, long dropoutSeed) {
        seeds.load(dropoutSeed);
        if (!captureSteps || !warmedUp) {
            lossAndGradients(batch, true);
            warmedUp = true;
        } else {
            DeviceDriver.Graph g = graphs.get(batch);
            if (g == null) {
                g = device.capture(() -> lossAndGradients(batch, true));
                graphs.put(batch, g);
            }
            g.launch();
        }
    }

    /** The optimiser's update at learning rate {@code lr}, from the gradients of the last step. */
    public void applyUpdate(double lr) {
        optimizer.setLearningRate(lr);
        optimizer.step();
    }

    /** The gradients' global norm before clipping in the last training step (waits for the device). */
    public double lastGradientNorm() {
        return normValue.toFloatArray()[0];
    }

    /**
     * The eval-mode quantile loss of {@code batch} with the mean taken over {@code validSteps} decoder steps
     * (the validation set's total, so per-batch losses add up to the set's mean), as the CPU engine's
     * validation. Waits for the device.
     */
    public double validationLoss(DeviceTftBatch batch, long validSteps) {
        try (GpuDevice.Scope scope = device.scope()) {
            DeviceVariable prediction = new TftForward(this, Tape.inference(device), batch).prediction();
            DeviceTensor loss = device.empty(1);
            dev.tempora.gpu.DeviceQuantileLoss.forward(prediction.value(), batch.target, batch.decoderLengths, quantiles,
                    validSteps, loss);
            return loss.toFloatArray()[0];
        }
    }

    /** The optimiser's state as the CPU optimiser {@code cpuOptimizer} holds it (per CPU parameter). */
    public dev.tempora.models.Optimizer.State optimizerState(List<dev.tempora.autograd.Variable> cpuParameters) {
        java.util.Map<String, dev.tempora.tensor.Tensor> buffers = new java.util.LinkedHashMap<>();
        optimizer.buffers().forEach((kind, flat) -> {
            for (int i = 0; i < cpuParameters.size(); i++) {
                dev.tempora.autograd.Variable p = cpuParameters.get(i);
                int n = p.value().numel();
                float[] part = new float[n];
                System.arraycopy(flat, Math.toIntExact(parameters.offsetOf(p)), part, 0, n);
                buffers.put(kind + "." + i, dev.tempora.tensor.Tensor.of(part, n));
            }
        });
        java.util.Map<String, String> scalars = new java.util.LinkedHashMap<>();
        scalars.put("steps", Long.toString(optimizer.steps()));
        scalars.put("learning_rate", Double.toString(optimizer.learningRate()));
        return new dev.tempora.models.Optimizer.State(buffers, scalars);
    }

    /** Loads a CPU optimiser's state (as {@link #optimizerState} gives it) into the device optimiser. */
    public void loadOptimizerState(dev.tempora.models.Optimizer.State state, List<dev.tempora.autograd.Variable> cpuParameters) {
        java.util.Map<String, float[]> flat = new java.util.LinkedHashMap<>();
        for (String kind : optimizer.buffers().keySet()) {
            float[] all = new float[parameters.values().numel()];
            for (int i = 0; i < cpuParameters.size(); i++) {
                dev.tempora.tensor.Tensor t = state.buffers().get(kind + "." + i);
                dev.tempora.autograd.Variable p = cpuParameters.get(i);
                if (t == null || t.numel() != p.value().numel()) {
                    throw new IllegalArgumentException("optimiser state '" + kind + "." + i + "' is missing or mis-sized");
                }
                System.arraycopy(t.contiguous().toFloatArray(), 0, all, Math.toIntExact(parameters.offsetOf(p)), t.numel());
            }
            flat.put(kind, all);
        }
        optimizer.load(flat, Long.parseLong(state.scalars().getOrDefault("steps", "0")));
        optimizer.setLearningRate(Double.parseDouble(state.scalars().getOrDefault("learning_rate",
                Double.toString(optimizer.learningRate()))));
    }

    /**
     * The forward, loss and backward alone (no clipping, no update), for checking gradients: afterwards
     * {@link #gradient} gives each parameter's. Returns the loss (waits for the device).
     */
    public double computeGradients(DeviceTftBatch batch, long dropoutSeed) {
        seeds.load(dropoutSeed);
        lossAndGradients(batch, false);
        return lastLoss();
    }

    private void lossAndGradients(DeviceTftBatch batch, boolean clip) {
        try (GpuDevice.Scope scope = device.scope()) {
            Tape tape = Tape.training(device);
            DeviceVariable prediction = new TftForward(this, tape, batch).prediction();
            DeviceVariable loss = LossOps.quantile(tape, prediction, batch.target, batch.decoderLengths, quantiles);
            tape.backward(loss, parameters.trainable());
            device.driver().copy(lossValue.address(), loss.address(), 4);
            if (clip) {
                clipping.clip(maxGradNorm, normValue);
            }
        }
    }

    /** The loss of the last training step (waits for the device). */
    public double lastLoss() {
        return lossValue.toFloatArray()[0];
    }

    /** The eval-mode prediction (B, Td, quantiles), copied to the host. */
    public Tensor predict(DeviceTftBatch batch) {
        try (GpuDevice.Scope scope = device.scope()) {
            return new TftForward(this, Tape.inference(device), batch).prediction().value().toTensor();
        }
    }

    /** The gradient of the parameter {@code name} (a state-dict key) from the last backward, downloaded. */
    public Tensor gradient(String name) {
        return parameters.gradient(name);
    }

    /** Writes the device's parameter values into the CPU model this was built from. */
    public void copyParametersToCpu() {
        parameters.copyTo();
    }

    /** Reloads the CPU model's parameter values (after loading a checkpoint into it, say). */
    public void copyParametersFromCpu() {
        parameters.copyFrom();
    }

    /** Training steps taken (Adam's step count). */
    public long steps() {
        return optimizer.steps();
    }

    @Override
    public void close() {
        graphs.values().forEach(DeviceDriver.Graph::close);
        optimizer.close();
        clipping.close();
        seeds.close();
        lossValue.close();
        normValue.close();
        interpolations.values().forEach(v -> v.value().close());
        parameters.close();
    }

    /** The dropout probability of the model's layers. */
    float dropout() {
        return config.dropout();
    }

    /** The output transformation's reverse (PTF's), applied to the de-normalised output. */
    static DeviceVariable untransform(Tape tape, DeviceVariable y, String transformation) {
        return switch (transformation) {
            case "softplus", "count" -> ElementwiseOps.unary(tape, DeviceUnary.SOFTPLUS, y, 1f, 20f);
            case "log", "log1p" -> ElementwiseOps.unary(tape, DeviceUnary.EXP, y, 0f, 0f);
            case "logit" -> ElementwiseOps.unary(tape, DeviceUnary.CLAMP,
                    ElementwiseOps.unary(tape, DeviceUnary.SIGMOID, y, 0f, 0f), Float.MIN_NORMAL, 1f - 0x1.0p-23f);
            case "relu" -> ElementwiseOps.unary(tape, DeviceUnary.RELU, y, 0f, 0f);
            case "sqrt" -> ElementwiseOps.unary(tape, DeviceUnary.SQUARE, y, 0f, 0f);
            default -> y;
        };
    }

    /** For {@link TftForward}: the model's parameters. */
    DeviceVariable p(String name) {
        return parameters.get(name);
    }

    boolean has(String name) {
        return parameters.has(name);
    }

    DeviceVariable group(List<String> names) {
        return parameters.group(names);
    }

}
