package dev.tempora.cli;

import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.HyperparameterSearch;
import dev.tempora.tensor.io.AtomicFiles;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tempora tune}: a hyper-parameter search by successive halving, scored on the validation windows. */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Searches hyper-parameters by successive halving, scored on the validation windows.",
                "",
                "Draws --trials settings at random from the grid that the --param options span, trains each for --min-epochs, "
                + "keeps the best 1/--eta and trains those on (resumed, bitwise) to --eta times the epochs, up to --max-epochs. "
                + "Trials are scored by their best validation loss: the config's validation windows, a rolling-origin backtest "
                + "inside the training period (use \"validation\": {\"windows\": K} for several origins). The held-out test "
                + "(dataset.test) is never read: evaluate the best trial on it afterwards.",
                "Writes DIR/trial-NN (each a model directory), DIR/search.csv (every trial) and DIR/best-config.json (the config "
                + "with the best values, for tempora train)."},
        footer = {"", "Examples:",
                "  ./tempora tune --config my.json --out out/tune \\",
                "      --param hidden_size=8,16,32 --param learning_rate=0.003,0.01,0.03 --trials 9",
                "  ./tempora evaluate --model out/tune/trial-04 --config my.json"})
final class TuneCommand implements Runnable {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON) to vary.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the trials, search.csv and best-config.json go.")
    Path out;

    @Option(names = "--param", required = true, paramLabel = "KEY=V1,V2,...",
            description = "A model or training setting and its candidate values (repeatable).")
    List<String> params;

    @Option(names = "--trials", paramLabel = "N", description = "Settings to draw (default: ${DEFAULT-VALUE}; the whole grid when smaller).")
    int trials = 9;

    @Option(names = "--min-epochs", paramLabel = "E", description = "Epochs of the first rung (default: ${DEFAULT-VALUE}).")
    int minEpochs = 2;

    @Option(names = "--max-epochs", paramLabel = "E", description = "Epochs of the last rung (default: ${DEFAULT-VALUE}).")
    int maxEpochs = 18;

    @Option(names = "--eta", paramLabel = "K", description = "Halving factor (default: ${DEFAULT-VALUE}).")
    int eta = 3;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draw (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public void run() {
        Map<String, List<Object>> space = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("--param " + p + ": expected KEY=V1,V2,... such as hidden_size=8,16,32");
            }
            List<Object> values = new ArrayList<>();
            for (String v : p.substring(eq + 1).split(",")) {
                values.add(value(v.trim()));
            }
            space.put(p.substring(0, eq).trim(), values);
        }
        TrainingConfig base = TrainingConfig.load(config);
        HyperparameterSearch.Result r = HyperparameterSearch.run(base, space,
                new HyperparameterSearch.Options(trials, minEpochs, maxEpochs, eta, seed), out, System.out::println);
        Map<String, List<?>> columns = new LinkedHashMap<>();
        List<Long> numbers = new ArrayList<>();
        List<Long> epochs = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        space.keySet().forEach(k -> values.put(k, new ArrayList<>()));
        for (HyperparameterSearch.Trial t : r.trials()) {
            numbers.add((long) t.number());
            epochs.add((long) t.epochs());
            losses.add(t.validationLoss());
            space.keySet().forEach(k -> values.get(k).add(String.valueOf(t.values().get(k))));
        }
        columns.put("trial", numbers);
        values.forEach(columns::put);
        columns.put("epochs", epochs);
        columns.put("validation_loss", losses);
        TableFiles.write(Frame.ofColumns("search", columns), out.resolve("search.csv"));
        AtomicFiles.writeString(out.resolve("best-config.json"), Json.writePretty(r.bestConfig()) + "\n");
        System.out.printf(Locale.ROOT, "Best: trial %d, %s, validation loss %.5f after %d epochs (%s). Wrote %s: search.csv, "
                        + "best-config.json%n", r.best().number(), r.best().values(), r.best().validationLoss(), r.best().epochs(),
                r.best().directory(), out);
    }

    /** A JSON-ready value from text: a whole number, a number, true/false, or the text. */
    static Object value(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException notANumber) {
                return text;
            }
        }
    }
}
