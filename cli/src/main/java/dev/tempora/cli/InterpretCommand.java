package dev.tempora.cli;

import dev.tempora.data.Column;
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TableFiles;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.Interpretation;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.forecast.plots.ForecastPlots;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tempora interpret}: variable importance and attention of any trained model, per series and averaged. */
@Command(name = "interpret", mixinStandardHelpOptions = true,
        description = {"Variable importance and attention of a trained model, as PyTorch Forecasting's interpret_output.",
                "",
                "Runs the model on each series' last window of the table and reports the variable selection weights "
                + "(static, encoder and decoder variables, in percent) over all series and per series, and the mean "
                + "attention by position before the forecast. Writes DIR/importance.csv (series, part, variable, percent; "
                + "series 'all' is the average), DIR/attention.csv and DIR/interpretation.png."},
        footer = {"", "Examples:",
                "  ./tempora interpret --model out/demo --data out/demo/history.csv",
                "  ./tempora interpret --model out/demo --data out/demo/history.csv --out out/why --json"})
final class InterpretCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from train or demo).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The series' history (.csv or .parquet).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the files go (default: the model directory).")
    Path out;

    @Option(names = "--json", description = "Print the averaged importance and attention as one JSON object.")
    boolean json;

    @Override
    public void run() {
        TrainedModel trained = TrainedModel.load(model);
        trained.notes().forEach(note -> System.err.println("note: " + note));
        Interpretation interpretation = trained.interpret(trained.readTable(data), InferenceOptions.defaults());
        Path dir = out != null ? out : model;
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(dir + ": cannot create the directory (" + e.getMessage() + ")", e);
        }
        Map<String, Map<String, Double>> average = new LinkedHashMap<>();
        average.put("static", interpretation.staticImportance());
        average.put("encoder", interpretation.encoderImportance());
        average.put("decoder", interpretation.decoderImportance());
        List<String> seriesColumn = new ArrayList<>();
        List<String> partColumn = new ArrayList<>();
        List<String> variableColumn = new ArrayList<>();
        List<Double> percentColumn = new ArrayList<>();
        Map<String, Map<String, Map<String, Double>>> all = new LinkedHashMap<>();
        all.put("all", average);
        for (List<String> key : new LinkedHashSet<>(interpretation.windows().values().stream()
                .map(Interpretation.WindowDetail::series).toList())) {
            all.put(String.join(",", key), interpretation.importance(key));
        }
        all.forEach((series, parts) -> parts.forEach((part, variables) -> variables.forEach((variable, percent) -> {
            seriesColumn.add(series);
            partColumn.add(part);
            variableColumn.add(variable);
            percentColumn.add(percent);
        })));
        TableFiles.write(new Frame("importance", List.of(strings("series", seriesColumn), strings("part", partColumn),
                strings("variable", variableColumn),
                new DoubleColumn("percent", percentColumn.stream().mapToDouble(Double::doubleValue).toArray()))),
                dir.resolve("importance.csv"));
        double[] attention = interpretation.meanEncoderAttention();
        double[] position = new double[attention.length];
        for (int i = 0; i < position.length; i++) {
            position[i] = i - attention.length; // -1 is the step just before the forecast
        }
        TableFiles.write(new Frame("attention", List.of(new DoubleColumn("position", position),
                new DoubleColumn("attention", attention))), dir.resolve("attention.csv"));
        Path png = ForecastPlots.interpretation(interpretation, dir.resolve("interpretation.png"));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("series", all.size() - 1);
            o.put("importance", average);
            o.put("attention", attention);
            System.out.println(Json.write(o));
            return;
        }
        System.out.printf(Locale.ROOT, "Variable importance over %d series (percent):%n", all.size() - 1);
        average.forEach((part, variables) -> {
            System.out.printf(Locale.ROOT, "  %s variables%n", part);
            variables.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                    .forEach(e -> System.out.printf(Locale.ROOT, "    %-28s %6.2f%n", e.getKey(), e.getValue()));
        });
        System.out.printf(Locale.ROOT, "Wrote %s, %s, %s%n", dir.resolve("importance.csv"), dir.resolve("attention.csv"), png);
    }

    private static Column strings(String name, List<String> values) {
        StringColumn.Builder b = new StringColumn.Builder(name, values.size());
        values.forEach(b::add);
        return b.build();
    }
}
