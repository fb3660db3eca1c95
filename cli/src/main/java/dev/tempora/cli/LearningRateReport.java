package dev.tempora.cli;

import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import dev.tempora.forecast.TrainingJob;
import dev.tempora.parallel.LearningRateFinder;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tempora train --find-lr}: runs the learning-rate finder and prints its curve and suggestion. */
final class LearningRateReport {

    /** PTF's tutorial: {@code Tuner(trainer).lr_find(..., min_lr=1e-6, max_lr=10.0)}; Lightning's 100 steps. */
    static final double MIN = 1e-6;
    static final double MAX = 10;
    static final int STEPS = 100;

    private LearningRateReport() {}

    static void run(TrainingJob job, Path dir, PrintStream log, boolean json) {
        log.printf(Locale.ROOT, "Learning-rate finder: %d batches of %d, the rate growing from %.0e to %.0f, on a copy of the "
                + "initial model ...%n", STEPS, job.batchSize(), MIN, MAX);
        LearningRateFinder.Result r = job.findLearningRate(MIN, MAX, STEPS);
        List<LearningRateFinder.Point> points = r.points();
        List<Double> rates = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> smoothed = new ArrayList<>();
        for (LearningRateFinder.Point p : points) {
            rates.add(p.learningRate());
            losses.add(p.loss());
            smoothed.add(p.smoothedLoss());
        }
        Map<String, List<?>> columns = new LinkedHashMap<>();
        columns.put("learning_rate", rates);
        columns.put("loss", losses);
        columns.put("smoothed_loss", smoothed);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Path csv = dir.resolve("lr-finder.csv");
        TableFiles.write(Frame.ofColumns("learning-rate finder", columns), csv);
        for (int i = 0; i < points.size(); i += 10) {
            LearningRateFinder.Point p = points.get(i);
            log.printf(Locale.ROOT, "  lr %-10.3g loss %-10.4f smoothed %.4f%n", p.learningRate(), p.loss(), p.smoothedLoss());
        }
        String stop = r.diverged() ? "the loss diverged after " + points.size() + " steps" : "all " + points.size() + " steps";
        if (Double.isNaN(r.suggestion())) {
            log.printf(Locale.ROOT, "No suggestion (%s: too few points to read a slope); try a lower maximum or more data. "
                    + "Wrote %s%n", stop, csv);
        } else {
            log.printf(Locale.ROOT, "Suggested learning rate %.3g (where the smoothed loss falls fastest; %s). Train with "
                    + "--learning-rate %.3g or set \"learning_rate\" in the model section. Wrote %s%n", r.suggestion(), stop,
                    r.suggestion(), r.suggestion(), csv);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("suggestion", Double.isNaN(r.suggestion()) ? null : r.suggestion());
            out.put("steps", points.size());
            out.put("diverged", r.diverged());
            out.put("curve", csv.toString());
            System.out.println(dev.tempora.tensor.io.Json.write(out));
        }
    }
}
