package dev.tempora.gpu;

import dev.tempora.gpu.tft.DeviceTemporalFusionTransformer;
import dev.tempora.gpu.tft.DeviceTftBatch;
import dev.tempora.models.ModelInputs;
import dev.tempora.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's device buffers for batches, one set per batch shape (batch size, encoder and decoder steps): the
 * first batch of a shape gets new buffers, later ones are copied into them, so their addresses (and any graph
 * captured over them) stay valid.
 */
final class DeviceBatchBuffers implements AutoCloseable {
    private final DeviceTemporalFusionTransformer model;
    private final Map<List<Integer>, DeviceTftBatch> byShape = new HashMap<>();

    DeviceBatchBuffers(DeviceTemporalFusionTransformer model) {
        this.model = model;
    }

    /** The buffers for batches of this shape, filled with {@code inputs} and {@code target} (which may be null). */
    DeviceTftBatch fill(ModelInputs inputs, Tensor target) {
        List<Integer> shape = List.of(inputs.batchSize(), inputs.encoderSteps(), inputs.decoderSteps());
        DeviceTftBatch b = byShape.get(shape);
        if (b == null) {
            b = model.upload(inputs, target);
            byShape.put(shape, b);
        } else {
            b.copyFrom(inputs, target);
        }
        return b;
    }

    @Override
    public void close() {
        byShape.values().forEach(DeviceTftBatch::close);
        byShape.clear();
    }
}
