package dev.tempora.examples;

import dev.tempora.data.Column;
import dev.tempora.data.ColumnType;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import dev.tempora.data.TargetNormalizer;
import dev.tempora.data.Transformation;
import dev.tempora.data.TaxiDemand;
import dev.tempora.forecast.Evaluation;
import dev.tempora.forecast.ForecastTable;
import dev.tempora.forecast.Forecaster;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.Interpretation;
import dev.tempora.forecast.ModelSettings;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.forecast.TrainingJob;
import dev.tempora.forecast.plots.ForecastPlots;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Tempora as a library: reads hourly demand from a CSV, trains a small Temporal Fusion Transformer,
 * forecasts the next 12 hours of every zone, scores the model against the last-value baseline and plots
 * one zone's forecast. Usage: {@code ForecastExample [output directory]} (default {@code target/example}).
 */
public final class ForecastExample {

    static final int HORIZON = 12;

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "target/example");
        Path csv = writeDemandCsv(out.resolve("demand.csv"));

        // Read the CSV as you would your own; ids that look like numbers are categories, so say they are text.
        Frame table = TableFiles.read(csv, Map.of("pulocationid", ColumnType.STRING, "day_hour", ColumnType.STRING));
        Column demand = table.column("trip_quantity");
        Frame history = table.filter(row -> !demand.isMissing(row));

        // PyTorch Forecasting's TimeSeriesDataSet arguments, under its names.
        DatasetParameters parameters = DatasetParameters.builder()
                .timeIdx("time_idx").target("trip_quantity").groupIds("pulocationid")
                .maxEncoderLength(48).maxPredictionLength(HORIZON)
                .staticCategoricals("pulocationid")
                .timeVaryingKnownCategoricals("day_hour").timeVaryingKnownReals("time_idx")
                .timeVaryingUnknownReals("trip_quantity")
                .targetNormalizer(TargetNormalizer.groupNormalizer(List.of("pulocationid"), Transformation.SOFTPLUS))
                .addRelativeTimeIdx(true).addTargetScales(true)
                .build();

        // Train: each zone's last 12 observed hours validate every epoch, and the best epoch is kept.
        TrainingJob.Result training = TrainingJob.builder(history, parameters)
                .model(ModelSettings.builder().hiddenSize(16).attentionHeadSize(2).hiddenContinuousSize(8)
                        .quantiles(List.of(0.1f, 0.5f, 0.9f)).build())
                .trainer(t -> t.maxEpochs(6).limitTrainBatchCount(8).optimizer("adam").learningRate(0.03).seed(7))
                .batchSize(32)
                .build()
                .fit();
        TrainedModel model = training.model();
        System.out.printf("Trained %d epochs in %.1f s; best validation loss %.4f (epoch %d)%n", training.epochs().size(),
                training.seconds(), training.bestValidationLoss(), training.bestEpoch() + 1);

        // Forecast the next 12 hours of every zone: the table's rows with the demand left empty.
        ForecastTable forecast = model.predict(table).table();
        System.out.printf("%n%-6s %8s %7s %8s %10s %8s%n", "zone", "time_idx", "horizon", "q0.1", "prediction", "q0.9");
        for (ForecastTable.Row row : forecast.rows()) {
            System.out.printf("%-6s %8d %7d %8.2f %10.2f %8.2f%n", String.join("/", row.series()), row.timeIdx(), row.horizon(),
                    row.quantiles()[0], row.point(), row.quantiles()[2]);
        }

        // Score the TFT and the last value on the same windows: each zone's last 12 observed hours (the
        // validation windows that chose the best epoch; hold out later data for an unbiased score).
        Evaluation.Result tft = model.evaluate(history);
        Evaluation.Result lastValue = Evaluation.score(tft.dataset(), null, Forecaster.lastValue(), model.quantiles(), 64,
                true, null);
        System.out.printf("%nMAE over each zone's last %d hours: TFT %.3f, last value %.3f%n", HORIZON, tft.metrics().mae(),
                lastValue.metrics().mae());

        // Plot the busiest zone's last window: history, actuals, median and 10-90 % band, attention.
        Interpretation interpretation = model.interpret(history, InferenceOptions.defaults());
        List<Path> plots = ForecastPlots.forecasts(interpretation, ForecastPlots.spreadByVolume(interpretation, 1), lastValue,
                new ForecastPlots.Style("zone", "pickups per hour", null, "hours"), out);
        System.out.println("Wrote " + plots.getFirst());
    }

    /**
     * Stands in for your data: three zones' hourly taxi pickups over 15 days from Tempora's generator, with
     * the last 12 hours' counts left empty, as a table of history plus the known calendar of the hours to forecast.
     */
    static Path writeDemandCsv(Path csv) {
        Frame generated = TaxiDemand.generate(new TaxiDemand.Options(3, 15, LocalDate.of(2024, 3, 4), 7));
        Column time = generated.column("time_idx");
        double[] counts = ((DoubleColumn) generated.column("trip_quantity")).toArray();
        for (int row = 0; row < counts.length; row++) {
            if (time.getDouble(row) >= 15 * 24 - HORIZON) {
                counts[row] = Double.NaN;
            }
        }
        TableFiles.write(generated.with(new DoubleColumn("trip_quantity", counts)), csv);
        return csv;
    }
}
