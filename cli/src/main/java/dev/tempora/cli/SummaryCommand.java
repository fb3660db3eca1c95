package dev.tempora.cli;

import dev.tempora.forecast.TrainingJob;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code tempora summary}: the model a config describes, module by module with parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Prints the model a config describes, module by module, with parameter counts.", "",
                "Builds the Temporal Fusion Transformer that a training config describes (variables from its "
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
        if (!(TrainingJob.fromConfig(config).build().model() instanceof TemporalFusionTransformer model)) {
            throw new IllegalStateException("summary describes the TFT only");
        }
        TftConfig modelConfig = model.config;
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("parameters", model.parameterCount());
            Map<String, Object> modules = new LinkedHashMap<>();
            model.children().forEach((name, m) -> modules.put(name, m.parameterCount()));
            out.put("modules", modules);
            out.put("model", modelConfig.toJson());
            System.out.println(Json.write(out));
            return;
        }
        System.out.print(model.summary());
    }
}
