package dev.tempora.cli;

import dev.tempora.data.BaselineEvaluation;
import dev.tempora.data.Metrics;
import dev.tempora.data.TrainingConfig;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** {@code tempora evaluate}: scores a model on a config's validation set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Scores a model on the validation set of a training config (each series' last window, "
                + "full prediction length, as PyTorch Forecasting's predict mode): MAE, RMSE, sMAPE and MASE, "
                + "with PyTorch Forecasting's definitions.",
                "Models: baseline (PTF's Baseline: repeat the last encoder target)."},
        footer = {"", "Examples:", "  ./tempora evaluate --config examples/stallion.json --model baseline",
                "  ./tempora evaluate --config examples/taxi.json --model baseline --json"})
final class EvaluateCommand implements Runnable {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON).")
    Path config;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Which model to score: baseline.")
    String model;

    @Option(names = "--json", description = "Print one JSON object {\"mae\":..,\"rmse\":..,\"smape\":..,\"mase\":..}.")
    boolean json;

    @Override
    public void run() {
        if (!model.equals("baseline")) {
            throw new IllegalArgumentException("--model " + model + ": unknown model; this command scores: baseline");
        }
        TrainingConfig cfg = TrainingConfig.load(config);
        TrainingConfig.Datasets sets = cfg.datasets();
        for (String warning : sets.training().warnings()) {
            System.err.println("tempora evaluate: warning: " + warning);
        }
        Metrics m = BaselineEvaluation.evaluate(sets.validation());
        if (json) {
            System.out.println(Json.write(m.toJson()));
            return;
        }
        System.out.printf(Locale.ROOT, "Baseline (last value) on %s%n", cfg.file());
        System.out.printf(Locale.ROOT, "  validation: %d series, %d forecast points (training cutoff time_idx %d)%n",
                m.samples(), m.points(), sets.trainingCutoff());
        System.out.printf(Locale.ROOT, "  MAE    %.4f%n", m.mae());
        System.out.printf(Locale.ROOT, "  RMSE   %.4f%n", m.rmse());
        System.out.printf(Locale.ROOT, "  sMAPE  %.4f%n", m.smape());
        System.out.printf(Locale.ROOT, "  MASE   %.4f%n", m.mase());
    }
}
