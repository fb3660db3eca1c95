package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Adam;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.ModelOutput;
import dev.tempora.models.Module;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TftConfig;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The device kernels are the TFT's: a model of another kind is refused with the way out (--device cpu). */
class CudaModelKindTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /** Another kind of model: one learnt value per quantile, the same at every step (in target units). */
    private static final class ConstantQuantiles extends Module implements ForecastingModel {
        private final QuantileLoss quantileLoss = new QuantileLoss(TftConfig.DEFAULT_QUANTILES);
        private final Variable levels = parameter("levels", Tensor.zeros(TftConfig.DEFAULT_QUANTILES.size()));

        @Override
        public String kind() {
            return "ConstantQuantiles";
        }

        @Override
        public List<Float> quantiles() {
            return quantileLoss.quantiles();
        }

        @Override
        public ModelOutput forward(ModelInputs inputs, boolean interpret) {
            int n = quantiles().size();
            Variable zeros = Variable.constant(Tensor.zeros(inputs.batchSize(), inputs.decoderSteps(), n));
            return new ModelOutput.Prediction(zeros.add(levels.reshape(1, 1, n)));
        }

        @Override
        public Variable loss(Variable prediction, Tensor target, Tensor weight, int[] decoderLengths, long validSteps) {
            return quantileLoss.forward(prediction, target, weight, decoderLengths, validSteps);
        }

        @Override
        public Map<String, Object> configJson() {
            return Map.of();
        }
    }

    private static void assertRefused(IllegalArgumentException e, String use) {
        assertTrue(e.getMessage().contains("the CUDA backend supports the TemporalFusionTransformer only, not a "
                + "ConstantQuantiles; " + use + " it with --device cpu"), e.getMessage());
    }

    @Test
    void theAcceleratorRefusesAnotherKindBeforeTouchingADevice() {
        ConstantQuantiles model = new ConstantQuantiles();
        CudaAccelerator cuda = new CudaAccelerator();
        TrainerSettings settings = TrainerSettings.builder().build();
        assertRefused(assertThrows(IllegalArgumentException.class, () -> cuda.trainingBackend(model,
                new Adam(model.parameters(), 1e-3), settings)), "train");
        assertRefused(assertThrows(IllegalArgumentException.class, () -> cuda.inferenceBackend(model)), "run");
    }

    @ParameterizedTest
    @MethodSource("devices")
    void theBackendsRefuseAnotherKind(GpuDevice device) {
        ConstantQuantiles model = new ConstantQuantiles();
        TrainerSettings settings = TrainerSettings.builder().build();
        assertRefused(assertThrows(IllegalArgumentException.class, () -> new CudaTrainingBackend(device, model,
                new Adam(model.parameters(), 1e-3), settings)), "train");
        assertRefused(assertThrows(IllegalArgumentException.class, () -> new CudaInferenceBackend(device, model)), "run");
    }
}
