package dev.tempora.cli;

import dev.tempora.forecast.TrainingJob;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.Module;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code tempora summary}: the model a config describes, module by module with parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Prints the model a config describes, module by module, with parameter counts.", "",
                "Builds the model that a training config describes (its \"model\" section's kind, variables from its "
                + "data set, hyper-parameters from its \"model\" section) and prints its modules and parameter counts."},
        footer = {"", "Examples:", "  ./tempora summary --config examples/stallion.json",
                "  ./tempora summary --config examples/taxi.json --json"})
final class SummaryCommand implements Runnable {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON).")
    Path config;

    @Option(names = "--json", description = "Print one JSON object with \"parameters\" and the per-module counts.")
    boolean json;

    @Override
    public void run() {
        ForecastingModel forecaster = TrainingJob.fromConfig(config).build().model();
        if (!(forecaster instanceof Module model)) {
            throw new IllegalStateException("summary describes models built of modules; a " + forecaster.kind() + " is not");
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("parameters", forecaster.parameterCount());
            Map<String, Object> modules = new LinkedHashMap<>();
            model.children().forEach((name, m) -> modules.put(name, m.parameterCount()));
            out.put("modules", modules);
            out.put("model", forecaster.configJson());
            System.out.println(Json.write(out));
            return;
        }
        System.out.print(model.summary());
    }
}
