package dev.tempora.forecast;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tempora.data.DatasetParameters;
import dev.tempora.models.NLinear;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ensembles of three tiny models: one directory, forecasts that are the members' element-wise median or mean. */
class EnsembleTest {

    @TempDir
    static Path dir;

    static Path ensemble;
    static Ensemble.Trained trained;

    @BeforeAll
    static void trainThreeMembers() {
        TrainingJobTest.data();
        ensemble = dir.resolve("ensemble");
        trained = Ensemble.train(ensemble, 3, Ensemble.Combine.MEDIAN, (index, member) -> TrainingJobTest.small()
                .trainer(t -> t.maxEpochs(2).limitTrainBatchCount(2).seed(10 + index)).outputDirectory(member).build());
    }

    private static List<String> quantileColumns(TrainedModel model) {
        List<String> names = new ArrayList<>();
        model.quantiles().forEach(q -> names.add(ForecastCollector.quantileColumn(q)));
        names.add(ForecastTable.POINT_COLUMN);
        return names;
    }

    @Test
    void theEnsemblesForecastIsTheMembersElementWiseMedian() {
        TrainedModel loaded = TrainedModel.load(ensemble);
        assertTrue(loaded.isEnsemble());
        assertEquals(3, loaded.members().size());
        assertEquals(Ensemble.Combine.MEDIAN, loaded.combine());
        assertEquals(3, trained.members().size());
        var input = TrainingJobTest.predictInput(TrainingJobTest.table, TrainingJobTest.LAST - TrainingJobTest.HORIZON);
        List<ForecastTable> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            members.add(TrainedModel.load(Ensemble.memberDirectory(ensemble, i)).predict(input).table());
        }
        ForecastTable combined = loaded.predict(input).table();
        assertEquals(members.getFirst().frame().names(), combined.frame().names());
        boolean membersDiffer = false;
        for (String column : quantileColumns(loaded)) {
            float[] a = TrainingJobTest.column(members.get(0), column);
            float[] b = TrainingJobTest.column(members.get(1), column);
            float[] c = TrainingJobTest.column(members.get(2), column);
            float[] median = new float[a.length];
            for (int r = 0; r < a.length; r++) {
                float[] three = {a[r], b[r], c[r]};
                Arrays.sort(three);
                median[r] = three[1];
                membersDiffer |= a[r] != b[r] || b[r] != c[r];
            }
            assertArrayEquals(median, TrainingJobTest.column(combined, column), column);
        }
        assertTrue(membersDiffer, "three seeds should give three different models");
    }

    @Test
    void aMeanEnsembleAveragesAndScoresLikeAnyModel() {
        Path mean = dir.resolve("mean");
        Ensemble.write(mean, List.of(Ensemble.memberDirectory(ensemble, 1), Ensemble.memberDirectory(ensemble, 2),
                Ensemble.memberDirectory(ensemble, 3)), Ensemble.Combine.MEAN);
        TrainedModel loaded = TrainedModel.load(mean);
        var input = TrainingJobTest.predictInput(TrainingJobTest.table, TrainingJobTest.LAST - TrainingJobTest.HORIZON);
        float[] expected = null;
        for (int i = 1; i <= 3; i++) {
            float[] q = TrainingJobTest.column(TrainedModel.load(Ensemble.memberDirectory(ensemble, i)).predict(input).table(), "q0.9");
            if (expected == null) {
                expected = new float[q.length];
            }
            for (int r = 0; r < q.length; r++) {
                expected[r] += q[r];
            }
        }
        float[] actual = TrainingJobTest.column(loaded.predict(input).table(), "q0.9");
        for (int r = 0; r < actual.length; r++) {
            assertEquals(expected[r] / 3, actual[r], 1e-4f * Math.max(1, Math.abs(actual[r])));
        }
        Evaluation.Result scores = loaded.evaluate(TrainingJobTest.table);
        assertEquals(4, scores.windowCount());
        assertTrue(Double.isFinite(scores.metrics().mae()));
        // an ensemble saved elsewhere is loaded back with the same forecasts
        Path copy = dir.resolve("mean-copy");
        loaded.save(copy);
        assertArrayEquals(actual, TrainingJobTest.column(TrainedModel.load(copy).predict(input).table(), "q0.9"));
    }

    /** An NLinear on the same data set as the TFT members, with the given data set parameters. */
    private static Path trainNLinear(String name, DatasetParameters parameters) {
        Path out = dir.resolve(name);
        TrainingJob.builder(TrainingJobTest.table, parameters).model(LinearModelSettings.defaults(NLinear.KIND))
                .trainer(t -> t.maxEpochs(2).limitTrainBatchCount(2).learningRate(0.03).optimizer("adam").seed(3).workers(2))
                .batchSize(16).outputDirectory(out).build().fit();
        return out;
    }

    @Test
    void createMixesModelKindsAndAnEnsembleGivesItsMembers() {
        Path nLinear = trainNLinear("nlinear", TrainingJobTest.parameters());
        Path mixed = dir.resolve("mixed");
        TrainedModel created = Ensemble.create(mixed, List.of(ensemble, nLinear), Ensemble.Combine.MEAN);
        assertEquals(4, created.members().size(), "the ensemble's 3 members and the NLinear");
        assertTrue(Files.isRegularFile(mixed.resolve(Ensemble.FILE)));
        var input = TrainingJobTest.predictInput(TrainingJobTest.table, TrainingJobTest.LAST - TrainingJobTest.HORIZON);
        List<ForecastTable> members = new ArrayList<>();
        for (Path member : List.of(Ensemble.memberDirectory(ensemble, 1), Ensemble.memberDirectory(ensemble, 2),
                Ensemble.memberDirectory(ensemble, 3), nLinear)) {
            members.add(TrainedModel.load(member).predict(input).table());
        }
        TrainedModel reloaded = TrainedModel.load(mixed);
        assertEquals(4, reloaded.members().size(), "the written file lists the same 4 members");
        ForecastTable combined = reloaded.predict(input).table();
        for (String column : quantileColumns(created)) {
            float[] sum = new float[TrainingJobTest.column(combined, column).length];
            for (ForecastTable member : members) {
                float[] q = TrainingJobTest.column(member, column);
                for (int r = 0; r < q.length; r++) {
                    sum[r] += q[r];
                }
            }
            float[] actual = TrainingJobTest.column(combined, column);
            for (int r = 0; r < actual.length; r++) {
                assertEquals(sum[r] / 4, actual[r], 1e-4f * Math.max(1, Math.abs(actual[r])), column + " row " + r);
            }
        }
    }

    @Test
    void createRefusesAMismatchBeforeWritingAnything() {
        Map<String, Object> json = new LinkedHashMap<>(TrainingJobTest.parameters().toJson());
        json.put("min_encoder_length", 12L);
        json.put("max_encoder_length", 12L);
        Path shorter = trainNLinear("nlinear-12", DatasetParameters.fromJson(json));
        Path target = dir.resolve("mismatch");
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> Ensemble.create(target, List.of(Ensemble.memberDirectory(ensemble, 1), shorter), Ensemble.Combine.MEAN));
        assertTrue(mismatch.getMessage().contains("prepares data differently") && mismatch.getMessage().contains("nlinear-12"),
                mismatch.getMessage());
        assertFalse(Files.exists(target.resolve(Ensemble.FILE)), "nothing written on a mismatch");

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Ensemble.create(target, List.of(dir.resolve("no-such-model")), Ensemble.Combine.MEAN));
        assertTrue(missing.getMessage().contains("no-such-model") && missing.getMessage().contains("not found"), missing.getMessage());
        Path member = Ensemble.memberDirectory(ensemble, 1);
        IllegalArgumentException intoAModel = assertThrows(IllegalArgumentException.class,
                () -> Ensemble.create(member, List.of(Ensemble.memberDirectory(ensemble, 2)), Ensemble.Combine.MEAN));
        assertTrue(intoAModel.getMessage().contains("is a model directory"), intoAModel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ensemble.create(target, List.of(), Ensemble.Combine.MEAN));
    }

    @Test
    void aMissingMemberAndAnUnfinishedEnsembleAreClearErrors() throws IOException {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve(Ensemble.FILE), """
                {"format": "tempora-ensemble", "version": 1, "combine": "median", "members": ["member-1", "member-2"]}
                """);
        copyDirectory(Ensemble.memberDirectory(ensemble, 1), broken.resolve("member-1"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> TrainedModel.load(broken));
        assertTrue(missing.getMessage().contains("member-2") && missing.getMessage().contains(Ensemble.FILE), missing.getMessage());

        Files.delete(broken.resolve(Ensemble.FILE));
        IllegalArgumentException unfinished = assertThrows(IllegalArgumentException.class, () -> TrainedModel.load(broken));
        assertTrue(unfinished.getMessage().contains("did not finish"), unfinished.getMessage());
    }

    @Test
    void interpretationAndTheNetworkAreRefusedForAnEnsemble() {
        TrainedModel loaded = TrainedModel.load(ensemble);
        IllegalArgumentException interpret = assertThrows(IllegalArgumentException.class,
                () -> loaded.interpret(TrainingJobTest.table, InferenceOptions.defaults()));
        assertTrue(interpret.getMessage().contains("ensemble"), interpret.getMessage());
        assertThrows(IllegalStateException.class, loaded::model);
        assertFalse(loaded.members().getFirst().isEnsemble());
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }
}
