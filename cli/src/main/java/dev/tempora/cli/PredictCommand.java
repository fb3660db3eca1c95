package dev.tempora.cli;

import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tempora predict}: forecasts after the last observation of every series with a trained model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Forecasts every series of a table after its last observation, with a trained model.",
                "",
                "Forecasts every series of a table with a trained model: the max_prediction_length steps after each "
                + "series' last observed value, every quantile. The table holds the history and, when the model reads known "
                + "future inputs (a calendar column, a planned price), the rows of the forecast horizon with those inputs "
                + "filled and the target left empty. It is read and prepared as the model's training data was (the "
                + "preprocessing saved in DIR/model.json).",
                "Output columns: the series ids, the time index (and timestamp), horizon (1 = the first step after the last "
                + "observation) and one column per quantile (q0.02 ... q0.98; q0.5 is the point forecast)."},
        footer = {"", "Examples:",
                "  ./tempora predict --model out/demo --data out/demo/predict-input.csv",
                "  ./tempora predict --model out/my --data recent.parquet --out forecasts.csv",
                "  ./tempora predict --model out/my --data recent.csv --out f.parquet --json"})
final class PredictCommand implements Runnable {

    /** This command as picocli sees it: whether --verbose was given. */
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from train or demo; an ensemble's too).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "History and future rows (.csv or .parquet).")
    Path data;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the forecasts (.csv or .parquet); "
            + "without it, CSV on standard output.")
    Path out;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Series per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--device", paramLabel = "D", defaultValue = "cpu",
            description = "Where the model runs: cpu (the default) or cuda (an NVIDIA GPU through the gpu module).")
    String device;

    @Option(names = "--workers", paramLabel = "N", description = "Data-parallel workers on the CPU, each forecasting a shard "
            + "of every batch (default: the cores, at most 8).")
    Integer workers;

    @Option(names = "--json", description = "Print a JSON summary (and the forecasts as rows when there is no --out).")
    boolean json;

    @Override
    public void run() {
        if (out != null) {
            TableFiles.checkExtension(out, "--out");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        if (workers != null && !device.equals("cpu")) {
            throw new IllegalArgumentException("--workers applies to --device cpu only");
        }
        TrainedModel trained = TrainedModel.load(model);
        trained.notes().forEach(note -> System.err.println("note: " + note));
        Frame table = trained.readTable(data);
        System.err.println(dev.tempora.parallel.Accelerator.describeChoice(device, dev.tempora.parallel.Accelerator.installed(), Main.verbose(spec)));
        TrainedModel.Forecast forecast = trained.predict(table,
                new InferenceOptions(batchSize, workers, device));
        Frame result = forecast.table().frame();
        List<String> notes = forecast.notes();
        if (out != null) {
            forecast.table().write(out);
        }
        PrintStream stdout = System.out;
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("model", model.toString());
            summary.put("data", data.toString());
            summary.put("series", forecast.series());
            summary.put("horizon", forecast.horizon());
            summary.put("rows", result.rowCount());
            summary.put("quantiles", trained.quantiles());
            summary.put("notes", notes);
            if (out != null) {
                summary.put("out", out.toString());
            } else {
                summary.put("forecasts", rows(result));
            }
            stdout.println(Json.write(summary));
            return;
        }
        for (String note : notes) {
            System.err.println("tempora predict: note: " + note);
        }
        if (out == null) {
            java.io.Writer writer = new java.io.OutputStreamWriter(stdout, java.nio.charset.StandardCharsets.UTF_8);
            try {
                TableFiles.writeCsv(result, writer);
                writer.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        stdout.printf(Locale.ROOT, "Forecast %d series, %d steps each (%d rows, %d quantiles) with %s; wrote %s%n",
                forecast.series(), forecast.horizon(), result.rowCount(), trained.quantiles().size(), model, out);
    }

    private static List<Map<String, Object>> rows(Frame frame) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Column> columns = frame.columns();
        for (int r = 0; r < frame.rowCount(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Column c : columns) {
                Object value = switch (c.type()) {
                    case INT, LONG -> (long) c.getDouble(r);
                    case FLOAT, DOUBLE -> c.getDouble(r);
                    default -> c.format(r);
                };
                row.put(c.name(), value);
            }
            out.add(row);
        }
        return out;
    }
}
