package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.ModelOutput;
import dev.tempora.models.TftOutput;
import dev.tempora.parallel.Accelerator;
import dev.tempora.parallel.DataParallelInference;
import dev.tempora.parallel.InferenceBackend;
import dev.tempora.tensor.Tensor;

/** A trained model as a {@link Forecaster}: on the CPU's data-parallel workers or on an accelerator. */
final class ModelForecasters {

    private ModelForecasters() {}

    /**
     * A trained TFT on an accelerator ({@code cuda}): eval-mode forecasts from a copy of its weights on the
     * device, whose memory lives as long as the forecaster.
     */
    static Forecaster onDevice(ForecastingModel model, String device) {
        InferenceBackend backend = Accelerator.require(device).inferenceBackend(model);
        return new Forecaster() {
            @Override
            public String name() {
                return "tft";
            }

            @Override
            public Tensor forecast(Batch batch) {
                return backend.predict(ConfigSections.toTraining(batch).inputs());
            }
        };
    }

    /**
     * A trained TFT in eval mode, without a tape, each batch sharded over the CPU's workers;
     * {@code interpretation} (may be null) sees every output.
     */
    static Forecaster model(DataParallelInference inference, Interpretation interpretation) {
        return new Forecaster() {
            @Override
            public String name() {
                return "tft";
            }

            @Override
            public Tensor forecast(Batch batch) {
                ModelOutput out = inference.forward(ConfigSections.toTraining(batch).inputs(), interpretation != null);
                if (interpretation != null) {
                    interpretation.add(batch, (TftOutput) out); // TrainedModel.interpret admits the TFT only
                }
                return out.prediction().value();
            }
        };
    }
}
