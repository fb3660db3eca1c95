package dev.tempora.data;

import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetParametersTest {

    /** The "dataset" section of an example config, less the "validation" key that TrainingConfig takes out. */
    private static Map<String, Object> datasetSection(String example) throws Exception {
        Map<String, Object> root = Json.parseObject(Files.readString(Path.of("..", "examples", example)));
        @SuppressWarnings("unchecked")
        Map<String, Object> dataset = new LinkedHashMap<>((Map<String, Object>) root.get("dataset"));
        dataset.remove("validation");
        return dataset;
    }

    @Test
    void builderGivesTheStallionConfigsParameters() throws Exception {
        DatasetParameters fromJson = DatasetParameters.fromJson(datasetSection("stallion.json"));
        List<String> specialDays = List.of("easter_day", "good_friday", "new_year", "christmas", "labor_day", "independence_day",
                "revolution_day_memorial", "regional_games", "fifa_u_17_world_cup", "football_gold_cup", "beer_capital", "music_fest");
        DatasetParameters built = DatasetParameters.builder()
                .timeIdx("time_idx")
                .timestamp("date", "month")
                .target("volume")
                .groupIds("agency", "sku")
                .minEncoderLength(12)
                .maxEncoderLength(24)
                .minPredictionLength(1)
                .maxPredictionLength(6)
                .staticCategoricals("agency", "sku")
                .staticReals("avg_population_2017", "avg_yearly_household_income_2017")
                .timeVaryingKnownCategoricals("special_days", "month")
                .variableGroups(Map.of("special_days", specialDays))
                .timeVaryingKnownReals("time_idx", "price_regular", "discount_in_percent")
                .timeVaryingUnknownCategoricals()
                .timeVaryingUnknownReals("volume", "log_volume", "industry_volume", "soda_volume", "avg_max_temp",
                        "avg_volume_by_agency", "avg_volume_by_sku")
                .targetNormalizer(Map.of("type", "GroupNormalizer", "groups", List.of("agency", "sku"), "transformation", "softplus"))
                .addRelativeTimeIdx(true)
                .addTargetScales(true)
                .addEncoderLength(true)
                .build();
        assertEquals(fromJson.toJson(), built.toJson());
        assertEquals(fromJson.flatCategoricals(), built.flatCategoricals());
        assertEquals(Frequency.parse("month"), built.frequency);
    }

    @Test
    void builderGivesTheTaxiConfigsParameters() throws Exception {
        DatasetParameters fromJson = DatasetParameters.fromJson(datasetSection("taxi.json"));
        DatasetParameters built = DatasetParameters.builder()
                .timeIdx("time_idx")
                .target("trip_quantity")
                .groupIds("pulocationid")
                .minEncoderLength(5)
                .maxEncoderLength(63)
                .minPredictionLength(1)
                .maxPredictionLength(168)
                .staticCategoricals("pulocationid")
                .staticReals()
                .timeVaryingKnownCategoricals("day_hour")
                .timeVaryingKnownReals("time_idx")
                .timeVaryingUnknownCategoricals()
                .timeVaryingUnknownReals("trip_quantity")
                .targetNormalizer(TargetNormalizer.groupNormalizer(List.of("pulocationid"), Transformation.parse("softplus")))
                .addRelativeTimeIdx(true)
                .addTargetScales(true)
                .addEncoderLength(true)
                .allowMissingTimesteps(false)
                .build();
        // The normaliser object is taken as its JSON form, which spells out PTF's defaults (method, center).
        Map<String, Object> expected = fromJson.toJson();
        expected.put("target_normalizer", Map.of("type", "GroupNormalizer", "method", "standard", "center", true,
                "transformation", "softplus", "groups", List.of("pulocationid")));
        assertEquals(expected, built.toJson());
        assertEquals(TargetNormalizer.fromSpec(fromJson.targetNormalizerSpec(), fromJson.groupIds).toString(),
                TargetNormalizer.fromSpec(built.targetNormalizerSpec(), built.groupIds).toString());
    }

    @Test
    void theRemainingSettersFillPtfsKeys() {
        DatasetParameters p = DatasetParameters.builder().timeIdx("t").target("y").groupIds("id")
                .timeVaryingKnownReals("price").timeVaryingUnknownReals("y", "x").staticCategoricals("kind")
                .minPredictionIdx(7).predictMode(true).addNan("kind").addNan("colour").targetNormalizer(null)
                .scalers(Map.of("price", "robust")).build();
        Map<String, Object> expected = Json.parseObject("""
                {"time_idx": "t", "target": "y", "group_ids": ["id"], "time_varying_known_reals": ["price"],
                 "time_varying_unknown_reals": ["y", "x"], "static_categoricals": ["kind"], "min_prediction_idx": 7,
                 "predict_mode": true, "categorical_encoders": {"kind": {"add_nan": true}, "colour": {"add_nan": true}},
                 "target_normalizer": null, "scalers": {"price": "robust"}}""");
        assertEquals(expected, p.toJson());
        assertEquals(DatasetParameters.fromJson(expected).toJson(), p.toJson());
        assertEquals(java.util.Set.of("kind", "colour"), p.addNan);
        assertEquals(RealScaler.Kind.ROBUST, p.scalers.get("price"));
        assertEquals(Integer.valueOf(7), p.minPredictionIdx);
        assertTrue(p.predictMode);
        TargetNormalizer none = TargetNormalizer.fromSpec(p.targetNormalizerSpec(), p.groupIds); // PTF's None
        assertEquals(TargetNormalizer.Kind.TORCH, none.kind());
        assertEquals(TargetNormalizer.Method.IDENTITY, none.method());
    }

    @Test
    void toBuilderChangesACopy() throws Exception {
        DatasetParameters taxi = DatasetParameters.fromJson(datasetSection("taxi.json"));
        DatasetParameters.Builder builder = taxi.toBuilder();
        assertEquals(taxi.toJson(), builder.build().toJson());
        DatasetParameters shorter = builder.maxPredictionLength(24).addNan("day_hour").build();
        assertEquals(24, shorter.maxPredictionLength);
        assertEquals(168, taxi.maxPredictionLength);
        assertEquals(java.util.Set.of("day_hour"), shorter.addNan);
        builder.addNan("pulocationid"); // a built object does not change with its builder
        assertEquals(java.util.Set.of("day_hour"), shorter.addNan);
        assertNotEquals(shorter.toJson(), builder.build().toJson());
    }

    @Test
    void invalidValuesGiveTheSameErrorThroughBothPaths() {
        sameError(() -> base().minEncoderLength(30).maxEncoderLength(10).build(),
                "\"min_encoder_length\": 30, \"max_encoder_length\": 10", "min_encoder_length 30 exceeds max_encoder_length 10");
        sameError(() -> base().minPredictionLength(0).build(), "\"min_prediction_length\": 0", "min_prediction_length must be at least 1");
        sameError(() -> base().scalers(Map.of("y", "minmax")).build(), "\"scalers\": {\"y\": \"minmax\"}", "unknown scaler minmax");
        sameError(() -> base().groupIds("id", null).build(), "\"group_ids\": [\"id\", null]", "must hold strings only");
        sameError(() -> base().timestamp("when", null).build(), "\"timestamp\": \"when\"", "go together");
        sameError(() -> base().timeVaryingKnownReals("y").build(), "\"time_varying_known_reals\": [\"y\"]", "cannot be a known real");
        sameError(() -> base().staticCategoricals("g").variableGroups(Map.of("g", List.of())).build(),
                "\"static_categoricals\": [\"g\"], \"variable_groups\": {\"g\": []}", "lists no columns");
        sameError(() -> DatasetParameters.builder().timeIdx("t").build(), null, "\"target\" is required");
        // The normaliser is parsed when a dataset is built; its errors are the same too.
        var built = assertThrows(IllegalArgumentException.class, () -> TargetNormalizer.fromSpec(
                base().targetNormalizer(Map.of("type", "MinMax")).build().targetNormalizerSpec(), List.of()));
        var parsed = assertThrows(IllegalArgumentException.class, () -> TargetNormalizer.fromSpec(
                parse("\"target_normalizer\": {\"type\": \"MinMax\"}").targetNormalizerSpec(), List.of()));
        assertEquals(parsed.getMessage(), built.getMessage());
    }

    @Test
    void builtParametersMakeTheSameDatasetAsJson() {
        int n = 12;
        String[] ids = new String[2 * n];
        int[] t = new int[2 * n];
        double[] y = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            ids[i] = i < n ? "a" : "b";
            t[i] = i % n;
            y[i] = 1 + (i * 7) % 5;
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("id", ids);
        columns.put("t", t);
        columns.put("y", y);
        Frame frame = Frame.ofColumns("memory", columns);
        DatasetParameters built = base().maxEncoderLength(4).minEncoderLength(2).maxPredictionLength(3).staticCategoricals("id")
                .addRelativeTimeIdx(true).build();
        DatasetParameters parsed = parse("\"max_encoder_length\": 4, \"min_encoder_length\": 2, \"max_prediction_length\": 3, "
                + "\"static_categoricals\": [\"id\"], \"add_relative_time_idx\": true");
        TimeSeriesDataSet a = TimeSeriesDataSet.create(frame, built);
        TimeSeriesDataSet b = TimeSeriesDataSet.create(frame, parsed);
        assertEquals(TimeSeriesDataSetTest.windows(b), TimeSeriesDataSetTest.windows(a));
        assertEquals(b.description().toJson(), a.description().toJson());
        assertTrue(a.size() > 2 * (n - 4 - 3));
    }

    /** A valid minimal set-up: series "id", time "t", target "y". */
    private static DatasetParameters.Builder base() {
        return DatasetParameters.builder().timeIdx("t").target("y").groupIds("id").timeVaryingUnknownReals("y");
    }

    /** The JSON of {@link #base()} with the given members added or replaced. */
    private static DatasetParameters parse(String members) {
        Map<String, Object> json = Json.parseObject("{\"time_idx\": \"t\", \"target\": \"y\", \"group_ids\": [\"id\"], "
                + "\"time_varying_unknown_reals\": [\"y\"]}");
        json.putAll(Json.parseObject("{" + members + "}"));
        return DatasetParameters.fromJson(json);
    }

    private static void sameError(Supplier<DatasetParameters> builder, String json, String expectedPart) {
        var fromBuilder = assertThrows(IllegalArgumentException.class, builder::get);
        Supplier<DatasetParameters> parsed = json == null
                ? () -> DatasetParameters.fromJson(Json.parseObject("{\"time_idx\": \"t\"}")) : () -> parse(json);
        var fromJson = assertThrows(IllegalArgumentException.class, parsed::get);
        assertEquals(fromJson.getMessage(), fromBuilder.getMessage());
        assertTrue(fromBuilder.getMessage().contains(expectedPart), fromBuilder.getMessage());
    }
}
