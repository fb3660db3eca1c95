package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.autograd.GradMode;
import dev.tempora.bench.TftStepThroughput;
import dev.tempora.bench.TftStepThroughput.Preset;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Forecasts on the device equal the CPU model's, for batches of two shapes in turn (buffers per shape). */
class CudaInferenceBackendTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void predictsAsTheCpuModelDoes(GpuDevice device) {
        TftConfig config = TftStepThroughput.config(Preset.SEED);
        TemporalFusionTransformer model = new TemporalFusionTransformer(config);
        try (CudaInferenceBackend backend = new CudaInferenceBackend(device, model)) {
            long seed = 3;
            for (int batch : new int[] {4, 2, 4}) {
                TrainingBatch b = TftStepThroughput.randomBatch(config, batch, 5, 3, seed++);
                Tensor expected;
                model.eval();
                try (GradMode.Scope off = GradMode.noGrad()) {
                    expected = model.forward(b.inputs(), false).prediction().value().contiguous();
                }
                Tensor got = backend.predict(b.inputs());
                assertArrayEquals(expected.shape(), got.shape());
                float[] e = expected.toFloatArray();
                float[] g = got.toFloatArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], g[i], 1e-4f * (1 + Math.abs(e[i])), "batch of " + batch + ", element " + i);
                }
            }
        }
    }
}
