package dev.tempora.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PTF's stallion tutorial set-up, from examples/stallion.json on stallion.parquet. */
class StallionTest {

    private static TrainingConfig config() {
        SharedData.file("stallion.parquet");
        return TrainingConfig.load(Path.of("..", "examples", "stallion.json"));
    }

    @Test
    void validationIsTheTutorialsLastSixMonths() {
        TrainingConfig.Datasets sets = config().datasets();
        assertEquals(53, sets.trainingCutoff());
        assertEquals(350, sets.validation().size());
        assertEquals(350, sets.validation().seriesCount());
        for (int w = 0; w < sets.validation().size(); w++) {
            TimeSeriesDataSet.Window window = sets.validation().window(w);
            assertEquals(24, window.encoderLength());
            assertEquals(6, window.decoderLength());
            assertEquals(54, window.firstPredictionTimeIdx());
        }
        // The last-value baseline's MAE on these windows (the tutorial's 293.0089) is checked in the cli module.
        // 350 series x (42 full windows + 17 shorter ones from each series' start), as PTF indexes them
        assertEquals(350 * 59, sets.training().size());
    }

    @Test
    void derivedColumnsMatchTheTutorialCsv() {
        Frame derived = config().loadFrame();
        Frame tutorial = CsvReader.read(SharedData.file("stallion_tutorial.csv"),
                CsvOptions.defaults().withTypes(Map.of("month", ColumnType.STRING)));
        Map<String, Integer> rowOf = new HashMap<>();
        for (int r = 0; r < derived.rowCount(); r++) {
            rowOf.put(derived.column("agency").format(r) + "|" + derived.column("sku").format(r) + "|" + derived.column("date").format(r), r);
        }
        for (int r = 0; r < tutorial.rowCount(); r++) {
            int d = rowOf.get(tutorial.column("agency").format(r) + "|" + tutorial.column("sku").format(r) + "|"
                    + tutorial.column("date").format(r));
            for (String c : List.of("log_volume", "avg_volume_by_sku", "avg_volume_by_agency")) {
                double expected = tutorial.column(c).getDouble(r);
                assertEquals(expected, derived.column(c).getDouble(d), 1e-6 * Math.max(1, Math.abs(expected)), c + " row " + r);
            }
            for (String c : List.of("month", "easter_day", "christmas", "music_fest")) {
                assertEquals(tutorial.column(c).format(r), derived.column(c).format(d), c + " row " + r);
            }
        }
    }

    @Test
    void descriptionListsVariablesInPtfOrder() {
        DatasetDescription d = config().datasets().training().description();
        assertEquals(List.of("avg_population_2017", "avg_yearly_household_income_2017", "encoder_length", "volume_center",
                "volume_scale", "time_idx", "price_regular", "discount_in_percent", "relative_time_idx", "volume", "log_volume",
                "industry_volume", "soda_volume", "avg_max_temp", "avg_volume_by_agency", "avg_volume_by_sku"), d.reals());
        assertEquals(List.of("agency", "sku", "special_days", "month"), d.categoricals());
        assertEquals(15, d.flatCategoricals().size()); // agency, sku, 12 holiday columns, month
        assertEquals(58, d.cardinalities().get("agency"));
        assertEquals(25, d.cardinalities().get("sku"));
        assertEquals(12, d.cardinalities().get("month"));
        assertEquals(List.of("special_days", "month"), d.decoderCategoricals());
        assertEquals(List.of("time_idx", "price_regular", "discount_in_percent", "relative_time_idx"), d.decoderReals());
    }
}
