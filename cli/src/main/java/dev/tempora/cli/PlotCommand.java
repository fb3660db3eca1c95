package dev.tempora.cli;

import dev.tempora.data.Frame;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.Interpretation;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.forecast.plots.ForecastPlots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code tempora plot}: forecast plots of chosen series for any trained model. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draws forecasts of a trained model as PNG files, as PyTorch Forecasting's plot_prediction does.",
                "",
                "For each chosen series: its last window of the table (history and the forecast horizon, whose actual values "
                + "are drawn when the table has them), the median forecast with the quantile bands, and the attention the "
                + "first forecast step pays to each history step. Also writes interpretation.png (variable importance)."},
        footer = {"", "Examples:",
                "  ./tempora plot --model out/demo --data out/demo/history.csv",
                "  ./tempora plot --model out/demo --data out/demo/history.csv --series 161 --series 237 --out plots"})
final class PlotCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from train or demo).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The series' history (.csv or .parquet).")
    Path data;

    @Option(names = "--series", paramLabel = "ID", description = "A series to plot: its group id value (several group ids: "
            + "the values joined by commas). Repeat for more. Default: 4 series spread over the range of volume.")
    List<String> series;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the PNG files go (default: the model directory).")
    Path out;

    @Override
    public void run() {
        TrainedModel trained = TrainedModel.load(model);
        trained.notes().forEach(note -> System.err.println("note: " + note));
        Frame table = trained.readTable(data);
        Interpretation interpretation = trained.interpret(table, InferenceOptions.defaults());
        List<List<String>> chosen = series == null ? ForecastPlots.spreadByVolume(interpretation, 4) : parse(series);
        Path dir = out != null ? out : model;
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(dir + ": cannot create the directory (" + e.getMessage() + ")", e);
        }
        List<Path> written = new ArrayList<>(ForecastPlots.forecasts(interpretation, chosen, null, ForecastPlots.Style.defaults(),
                dir));
        written.add(ForecastPlots.interpretation(interpretation, dir.resolve("interpretation.png")));
        System.out.printf(Locale.ROOT, "Wrote %d plots: %s%n", written.size(),
                String.join(", ", written.stream().map(Path::toString).toList()));
    }

    private static List<List<String>> parse(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        for (String id : ids) {
            out.add(List.of(id.split(",", -1)));
        }
        return out;
    }
}
