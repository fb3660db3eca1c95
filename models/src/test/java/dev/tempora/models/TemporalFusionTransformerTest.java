package dev.tempora.models;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TemporalFusionTransformerTest {

    @Test
    void parameterCountsMatchPytorchForecasting() {
        assertEquals(33_191, new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f)).parameterCount());
        assertEquals(29_409, new TemporalFusionTransformer(TftConfigs.stallion()).parameterCount());
    }
}
