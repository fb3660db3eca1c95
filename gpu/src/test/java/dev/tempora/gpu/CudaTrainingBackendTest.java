package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.bench.TftStepThroughput;
import dev.tempora.bench.TftStepThroughput.Preset;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.parallel.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Trainer with its steps on the device: the same run as on the CPU, checkpoints, bitwise resume. */
class CudaTrainingBackendTest {
    private static final TftConfig CONFIG = TftStepThroughput.config(Preset.SEED);
    /**
     * Without dropout: the CPU engine draws each shard's masks from its own seed, the device the whole batch's
     * from one, so only a dropout-free run can be compared step for step.
     */
    private static final TftConfig NO_DROPOUT = new TftConfig(CONFIG.hiddenSize(), CONFIG.attentionHeadSize(), 0f,
            CONFIG.hiddenContinuousSize(), CONFIG.hiddenContinuousSizes(), CONFIG.lstmLayers(), CONFIG.quantiles(),
            CONFIG.staticCategoricals(), CONFIG.staticReals(), CONFIG.timeVaryingCategoricalsEncoder(),
            CONFIG.timeVaryingCategoricalsDecoder(), CONFIG.timeVaryingRealsEncoder(), CONFIG.timeVaryingRealsDecoder(),
            CONFIG.xCategoricals(), CONFIG.xReals(), CONFIG.categoricalCardinalities(), CONFIG.categoricalGroups(),
            CONFIG.embeddingSizes(), CONFIG.causalAttention(), CONFIG.outputTransformation(), CONFIG.seed());

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /** Three small batches an epoch (the seed preset's variables, 4 + 3 steps) and one validation batch. */
    private record SmallData() implements TrainingData {
        @Override
        public int batchesPerEpoch() {
            return 3;
        }

        @Override
        public TrainingBatch trainingBatch(int epoch, int index) {
            return TftStepThroughput.randomBatch(CONFIG, 4, 4, 3, 100L * epoch + index);
        }

        @Override
        public List<TrainingBatch> validationBatches() {
            return List.of(TftStepThroughput.randomBatch(CONFIG, 5, 4, 3, -1));
        }
    }

    private static TrainerSettings.Builder settings() {
        return TrainerSettings.builder().maxEpochs(2).learningRate(0.01).optimizer("ranger").gradientClipVal(0.1)
                .workers(1).reduceOnPlateau(1, 0.5, 1e-5).earlyStopping(0, 0).seed(5);
    }

    private static List<float[]> weights(TemporalFusionTransformer m) {
        List<float[]> w = new ArrayList<>();
        m.parameters().forEach(p -> w.add(p.value().contiguous().toFloatArray()));
        return w;
    }

    private static Trainer.Result fit(TemporalFusionTransformer model, TrainerSettings settings, GpuDevice device, boolean resume)
            throws Exception {
        try (Trainer t = new Trainer(model, new SmallData(), settings, null, device == null ? null
                : (m, o, s) -> new CudaTrainingBackend(device, m, o, s))) {
            if (resume) {
                t.resume();
            }
            return t.fit();
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void trainsAsTheCpuTrainerDoes(GpuDevice device) throws Exception {
        for (String optimizer : List.of("ranger", "adam")) {
            TrainerSettings s = settings().optimizer(optimizer).build();
            Trainer.Result cpu = fit(new TemporalFusionTransformer(NO_DROPOUT), s, null, false);
            TemporalFusionTransformer onDevice = new TemporalFusionTransformer(NO_DROPOUT);
            List<float[]> initial = weights(onDevice);
            Trainer.Result gpu = fit(onDevice, s, device, false);
            assertEquals(cpu.epochs().size(), gpu.epochs().size());
            for (int e = 0; e < cpu.epochs().size(); e++) {
                EpochResult c = cpu.epochs().get(e);
                EpochResult g = gpu.epochs().get(e);
                assertEquals(c.trainLoss(), g.trainLoss(), 2e-3 * Math.abs(c.trainLoss()), optimizer + " train loss, epoch " + e);
                assertEquals(c.validationLoss(), g.validationLoss(), 2e-3 * Math.abs(c.validationLoss()),
                        optimizer + " validation loss, epoch " + e);
                assertEquals(c.learningRate(), g.learningRate(), 0, optimizer + " learning rate, epoch " + e);
            }
            assertTrue(!java.util.Arrays.equals(initial.get(0), weights(onDevice).get(0)),
                    "the trained weights came back to the CPU model");
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void checkpointsAndResumesBitwise(GpuDevice device, @TempDir Path dir) throws Exception {
        TemporalFusionTransformer straight = new TemporalFusionTransformer(CONFIG);
        fit(straight, settings().outputDir(dir.resolve("straight")).build(), device, false);

        TemporalFusionTransformer stopped = new TemporalFusionTransformer(CONFIG);
        fit(stopped, settings().maxEpochs(1).outputDir(dir.resolve("resumed")).build(), device, false);
        assertTrue(Files.exists(dir.resolve("resumed").resolve("model.safetensors")), "the best model was written");
        TemporalFusionTransformer resumed = new TemporalFusionTransformer(CONFIG);
        fit(resumed, settings().outputDir(dir.resolve("resumed")).build(), device, true);

        List<float[]> a = weights(straight);
        List<float[]> b = weights(resumed);
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                assertEquals(Float.floatToIntBits(a.get(i)[j]), Float.floatToIntBits(b.get(i)[j]),
                        "parameter " + i + " element " + j + ": resumed " + b.get(i)[j] + " vs straight " + a.get(i)[j]);
            }
        }
    }
}
