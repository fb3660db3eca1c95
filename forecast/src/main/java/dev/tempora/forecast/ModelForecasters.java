package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.ModelOutput;
import dev.tempora.models.TftOutput;
import dev.tempora.parallel.Accelerator;
import dev.tempora.parallel.DataParallelInference;
import dev.tempora.parallel.InferenceBackend;
import dev.tempora.tensor.Tensor;

/**
 * A trained model as a {@link Forecaster}: on the CPU's data-parallel workers or on an accelerator. Given an
 * {@code order} (the model's monotone_quantiles), the forecasts' quantiles are sorted by level; without one
 * (null) they are the network's raw outputs, as in PTF. The network itself, and so training, is not changed.
 */
final class ModelForecasters {

    private ModelForecasters() {}

    /**
     * A trained TFT on an accelerator ({@code cuda}): eval-mode forecasts from a copy of its weights on the
     * device, whose memory lives as long as the forecaster.
     */
    static Forecaster onDevice(ForecastingModel model, String device, MonotoneQuantiles order) {
        InferenceBackend backend = Accelerator.require(device).inferenceBackend(model);
        return new Forecaster() {
            @Override
            public String name() {
                return "tft";
            }

            @Override
            public Tensor forecast(Batch batch) {
                Tensor forecast = backend.predict(ConfigSections.toTraining(batch).inputs());
                return order != null ? order.apply(forecast) : forecast;
            }
        };
    }

    /**
     * A trained TFT in eval mode, without a tape, each batch sharded over the CPU's workers;
     * {@code interpretation} (may be null) sees every output.
     */
    static Forecaster model(DataParallelInference inference, Interpretation interpretation, MonotoneQuantiles order) {
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
                Tensor forecast = out.prediction().value();
                return order != null ? order.apply(forecast) : forecast;
            }
        };
    }
}
