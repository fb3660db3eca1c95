package dev.tempora.gpu;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.bench.TftStepThroughput;
import dev.tempora.bench.TftStepThroughput.Preset;
import dev.tempora.gpu.tft.DeviceTemporalFusionTransformer;
import dev.tempora.gpu.tft.DeviceTftBatch;
import dev.tempora.models.DropoutSeeds;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device check's TFT step: the seed preset exactly as {@link TftStepThroughput} builds it (batch 128,
 * encoder 63, decoder 168), first checked once against the CPU model at that shape (the training loss and a
 * sample of gradients, dropout on, the CPU's masks), then the device training step timed one by one and
 * replayed from a captured graph, the eval inference, and the 2-thread CPU step measured in the same run as
 * the yardstick.
 */
public final class TftStepTiming {
    /** Relative error allowed between the device's and the CPU's loss and gradients (float32, different sum orders). */
    static final double PARITY_TOLERANCE = 2e-3;
    private static final long SEED = 42;
    /**
     * A parameter from every kind of block. Not the key biases: they shift every score of a query alike, so
     * their gradient is zero but for rounding, and has no scale to compare against.
     */
    private static final List<String> SAMPLE = List.of("input_embeddings.embeddings.series.weight",
            "input_embeddings.embeddings.day_hour.weight", "prescalers.target.weight",
            "static_variable_selection.flattened_grn.fc1.weight",
            "encoder_variable_selection.single_variable_grns.time_idx.resample_norm.mask",
            "decoder_variable_selection.flattened_grn.context.weight", "static_context_initial_cell_lstm.fc2.weight",
            "lstm_encoder.weight_hh_l0", "lstm_decoder.weight_ih_l0", "lstm_decoder.bias_hh_l0",
            "post_lstm_gate_encoder.fc.weight", "static_enrichment.context.weight", "multihead_attn.q_layers.3.weight",
            "multihead_attn.k_layers.7.weight", "multihead_attn.v_layer.weight", "multihead_attn.w_h.weight",
            "post_attn_gate_norm.add_norm.norm.weight", "pos_wise_ff.fc1.bias", "output_layer.weight");

    private TftStepTiming() {
    }

    /** The seed preset at its real shape, with the CPU yardstick. */
    public static Map<String, Object> run(GpuDevice device) {
        return run(device, TftStepThroughput.BATCH, TftStepThroughput.ENCODER_STEPS, TftStepThroughput.DECODER_STEPS,
                5, 30, true);
    }

    /**
     * @param warmup, timed steps per timing (medians of the timed ones)
     * @param cpuYardstick whether to time the CPU step too (the 2-thread data-parallel step)
     */
    static Map<String, Object> run(GpuDevice device, int batchSize, int encoder, int decoder, int warmup, int timed,
                                   boolean cpuYardstick) {
        Map<String, Object> results = new LinkedHashMap<>();
        TftConfig config = TftStepThroughput.config(Preset.SEED);
        TrainingBatch batch = TftStepThroughput.randomBatch(config, batchSize, encoder, decoder, SEED);
        results.put("shape", batchSize + " x (" + encoder + " + " + decoder + ")");
        results.putAll(parity(device, config, batch));

        for (boolean capture : new boolean[] {false, true}) {
            String key = capture ? "train_graph" : "train";
            TemporalFusionTransformer model = new TemporalFusionTransformer(config);
            try (DeviceTemporalFusionTransformer gpu = new DeviceTemporalFusionTransformer(device, model, 1e-3, 0.1f, capture);
                 DeviceTftBatch deviceBatch = gpu.upload(batch.inputs(), batch.target())) {
                long step = 0;
                for (int i = 0; i < warmup; i++) {
                    gpu.trainStep(deviceBatch, DropoutSeeds.mix(++step));
                }
                device.synchronize();
                long launchesBefore = device.launchCount();
                gpu.trainStep(deviceBatch, DropoutSeeds.mix(++step));
                device.synchronize();
                results.put(key + "_launches_per_step", device.launchCount() - launchesBefore);
                double[] ms = new double[timed];
                for (int i = 0; i < timed; i++) {
                    long t0 = System.nanoTime();
                    gpu.trainStep(deviceBatch, DropoutSeeds.mix(++step));
                    device.synchronize();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                double loss = gpu.lastLoss();
                results.put(key + "_ms", median(ms));
                results.put(key + "_samples_per_s", batchSize / (median(ms) / 1e3));
                results.put(key + "_final_loss", loss);
                results.put(key + "_loss_finite", Double.isFinite(loss));
                if (!capture) {
                    double[] inferMs = new double[timed];
                    for (int i = 0; i < timed; i++) {
                        long t0 = System.nanoTime();
                        gpu.predict(deviceBatch); // waits: the prediction comes back to the host
                        inferMs[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    results.put("infer_ms", median(inferMs));
                    results.put("infer_samples_per_s", batchSize / (median(inferMs) / 1e3));
                }
            }
        }
        results.put("pool_megabytes", device.bytesAllocated() / 1e6);
        if (cpuYardstick) {
            TftStepThroughput.Result cpu = TftStepThroughput.measure(Preset.SEED, 2, 8, 30, 20);
            results.put("cpu_train_ms", cpu.train().medianMs());
            results.put("cpu_infer_ms", cpu.infer().medianMs());
            results.put("speedup_train", cpu.train().medianMs() / (double) results.get("train_ms"));
            results.put("speedup_train_graph", cpu.train().medianMs() / (double) results.get("train_graph_ms"));
            results.put("speedup_infer", cpu.infer().medianMs() / (double) results.get("infer_ms"));
        }
        System.out.println("tft step on the device: " + results);
        return results;
    }

    /**
     * One forward and backward on the device and on the CPU from the same parameters, batch and dropout
     * seed: the losses and the sampled gradients' largest element-wise errors relative to each gradient's
     * largest element.
     */
    static Map<String, Object> parity(GpuDevice device, TftConfig config, TrainingBatch batch) {
        Map<String, Object> results = new LinkedHashMap<>();
        TemporalFusionTransformer model = new TemporalFusionTransformer(config);
        try (DeviceTemporalFusionTransformer gpu = new DeviceTemporalFusionTransformer(device, model, 1e-3, 0.1f, false);
             DeviceTftBatch deviceBatch = gpu.upload(batch.inputs(), batch.target())) {
            long seed = DropoutSeeds.mix(SEED);
            double deviceLoss = gpu.computeGradients(deviceBatch, seed);
            model.train();
            model.zeroGrad();
            Variable loss;
            try (DropoutSeeds.Scope s = DropoutSeeds.open(seed)) {
                loss = new QuantileLoss(config.quantiles()).forward(model.forward(batch.inputs(), false).prediction(),
                        batch.target(), batch.inputs().decoderLengths());
            }
            loss.backward();
            double lossError = Math.abs(deviceLoss - loss.item()) / Math.max(1e-12, Math.abs(loss.item()));
            Map<String, Variable> named = model.stateDict();
            double worst = 0;
            String worstName = "";
            for (String name : SAMPLE) {
                Tensor cpuGrad = named.get(name).grad();
                double error = relativeError(cpuGrad == null ? Tensor.zeros(named.get(name).shape()) : cpuGrad,
                        gpu.gradient(name));
                if (error > worst || Double.isNaN(error)) {
                    worst = error;
                    worstName = name;
                }
            }
            model.eval();
            Tensor cpuPrediction;
            try (GradMode.Scope off = GradMode.noGrad()) {
                cpuPrediction = model.forward(batch.inputs(), false).prediction().value();
            }
            double predictionError = relativeError(cpuPrediction, gpu.predict(deviceBatch));
            results.put("parity_loss_cpu", (double) loss.item());
            results.put("parity_loss_device", deviceLoss);
            results.put("parity_loss_error", lossError);
            results.put("parity_gradients_checked", SAMPLE.size());
            results.put("parity_worst_gradient_error", worst);
            results.put("parity_worst_gradient", worstName);
            results.put("parity_prediction_error", predictionError);
            results.put("parity_passed", lossError <= PARITY_TOLERANCE && worst <= PARITY_TOLERANCE
                    && predictionError <= PARITY_TOLERANCE);
        }
        return results;
    }

    /** max |actual − expected| / max |expected| (NaN when the shapes differ or a value is not finite). */
    static double relativeError(Tensor expected, Tensor actual) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return Double.NaN;
        }
        float[] e = expected.contiguous().toFloatArray();
        float[] a = actual.contiguous().toFloatArray();
        double scale = 0;
        double error = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            double d = Math.abs((double) a[i] - e[i]);
            if (!(d <= Double.MAX_VALUE)) {
                return Double.NaN;
            }
            error = Math.max(error, d);
        }
        return scale == 0 ? error : error / scale;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
