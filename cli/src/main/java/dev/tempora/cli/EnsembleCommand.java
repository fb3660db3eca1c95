package dev.tempora.cli;

import dev.tempora.forecast.Ensemble;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code tempora ensemble}: one ensemble directory of models already trained, of any kinds. */
@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = {"Combines trained models, of any kinds, into one ensemble that predict and evaluate take.",
                "",
                "Writes DIR/ensemble.json, which lists the models as members: predict, evaluate and backtest then take DIR "
                + "like any model, and combine the members' quantile forecasts element-wise (median or mean). The models "
                + "may be of different kinds (a TFT and an NLinear) but must be trained on the same data set with the same "
                + "data set parameters, split and quantiles; each is loaded and checked before anything is written. An "
                + "ensemble given as a model contributes its members (so every single model weighs the same); a model "
                + "given twice counts twice."},
        footer = {"", "Examples:",
                "  ./tempora ensemble --out out/both --combine mean out/tft out/nlinear",
                "  ./tempora evaluate --model out/both --config my.json"})
final class EnsembleCommand implements Runnable {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The ensemble's directory (created when missing).")
    Path out;

    @Option(names = "--combine", paramLabel = "HOW", defaultValue = "median",
            description = "How the members' forecasts combine: median (default, as train --ensemble) or mean.")
    String combine;

    @Option(names = "--json", description = "Print one JSON object: the directory, the combination and each member's kind.")
    boolean json;

    @Parameters(paramLabel = "MODEL", arity = "1..*", description = "Model or ensemble directories (from train or demo).")
    List<Path> models;

    @Override
    public void run() {
        TrainedModel ensemble = Ensemble.create(out, models, Ensemble.Combine.parse(combine));
        List<Map<String, Object>> members = new ArrayList<>();
        for (TrainedModel member : ensemble.members()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("directory", member.directory().toString());
            entry.put("kind", member.model().kind());
            members.add(entry);
        }
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("out", out.toString());
            summary.put("combine", ensemble.combine().jsonName());
            summary.put("members", members);
            System.out.println(Json.write(summary));
            return;
        }
        Map<Object, Integer> kinds = new LinkedHashMap<>();
        members.forEach(m -> kinds.merge(m.get("kind"), 1, Integer::sum));
        String counts = kinds.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
        System.out.printf(Locale.ROOT, "Wrote an ensemble of %d members (%s; %s) to %s/%s%n", members.size(),
                ensemble.combine().jsonName(), counts, out, Ensemble.FILE);
    }
}
