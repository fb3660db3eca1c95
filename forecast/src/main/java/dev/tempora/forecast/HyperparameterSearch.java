package dev.tempora.forecast;

import dev.tempora.data.Frame;
import dev.tempora.data.TrainingConfig;
import dev.tempora.tensor.io.JsonKeys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A small hyper-parameter search by successive halving (Jamieson and Talwalkar, 2016): {@code trials}
 * settings drawn at random from a grid each train {@code minEpochs}; the best third (1/η) continue,
 * resumed bitwise from their last state, to η times as many epochs, and so on up to {@code maxEpochs}.
 *
 * <p>Every trial is scored by its best validation loss: the config's validation windows, a rolling-origin
 * backtest inside the training period (several origins with {@code "validation": {"windows": K}}). The
 * held-out test ({@code dataset.test}) is never read, so scoring the chosen model on it afterwards
 * ({@code tempora evaluate}) is an honest estimate.
 */
public final class HyperparameterSearch {

    private HyperparameterSearch() {}

    /**
     * How to search.
     *
     * @param trials    settings drawn from the grid (all of it when it is smaller)
     * @param minEpochs epochs of the first rung
     * @param maxEpochs epochs of the last rung
     * @param eta       the halving factor: 1/eta of the trials go on, for eta times the epochs
     * @param seed      seed of the draw
     */
    public record Options(int trials, int minEpochs, int maxEpochs, int eta, long seed) {
        /** Checks the values. */
        public Options {
            if (trials < 1 || minEpochs < 1 || maxEpochs < minEpochs || eta < 2) {
                throw new IllegalArgumentException("search options: trials ≥ 1, 1 ≤ min epochs ≤ max epochs and eta ≥ 2 are needed, got "
                        + trials + " trials, epochs " + minEpochs + ".." + maxEpochs + ", eta " + eta);
            }
        }
    }

    /**
     * One trial as the search left it.
     *
     * @param number         1-based, in draw order
     * @param values         its settings, key → value
     * @param epochs         epochs trained
     * @param validationLoss its best validation loss
     * @param directory      its model directory
     */
    public record Trial(int number, Map<String, Object> values, int epochs, double validationLoss, Path directory) {}

    /**
     * The search's outcome.
     *
     * @param trials     every trial, best first
     * @param best       the best trial
     * @param bestConfig the base config with the best trial's values, as JSON
     */
    public record Result(List<Trial> trials, Trial best, Map<String, Object> bestConfig) {}

    /**
     * Runs the search.
     *
     * @param base     the config the trials vary (its data is read once)
     * @param space    key of the "model" or "training" section → candidate values
     * @param options  trials, rungs, seed
     * @param out      each trial trains in {@code out/trial-NN}
     * @param progress told of each finished rung's trials
     * @return the trials, the best one and its config
     * @throws IllegalArgumentException for a key that is no model or training setting (naming the closest), or no values
     */
    public static Result run(TrainingConfig base, Map<String, List<Object>> space, Options options, Path out,
                             Consumer<String> progress) {
        List<Map<String, Object>> settings = draw(space, options);
        for (Map<String, Object> s : settings) {
            TrainingJob.checkSections(variant(base, s)); // every bad value fails before any training
        }
        Frame table = base.readFrame(); // each job fills its missing values as the config says
        List<Trial> alive = new ArrayList<>();
        List<Trial> finished = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            alive.add(new Trial(i + 1, settings.get(i), 0, Double.NaN, out.resolve(String.format(java.util.Locale.ROOT, "trial-%02d", i + 1))));
        }
        int epochs = options.minEpochs();
        while (true) {
            List<Trial> scored = new ArrayList<>();
            for (Trial t : alive) {
                TrainingConfig config = variant(base, t.values());
                int target = epochs;
                TrainingJob.Result r = TrainingJob.fromConfig(config, table).trainer(b -> b.maxEpochs(target))
                        .outputDirectory(t.directory()).resume(t.epochs() > 0).build().fit();
                scored.add(new Trial(t.number(), t.values(), r.epochs().size(), r.bestValidationLoss(), t.directory()));
            }
            scored.sort(Comparator.comparingDouble(Trial::validationLoss));
            for (Trial t : scored) {
                progress.accept(String.format(java.util.Locale.ROOT, "trial %2d  %d epochs  validation loss %.5f  %s", t.number(),
                        t.epochs(), t.validationLoss(), t.values()));
            }
            if (epochs >= options.maxEpochs() || scored.size() == 1) {
                finished.addAll(scored);
                break;
            }
            int keep = Math.max(1, (int) Math.ceil(scored.size() / (double) options.eta()));
            finished.addAll(scored.subList(keep, scored.size()));
            alive = scored.subList(0, keep);
            epochs = (int) Math.min(options.maxEpochs(), (long) epochs * options.eta());
        }
        finished.sort(Comparator.comparingDouble(Trial::validationLoss));
        Trial best = finished.getFirst();
        return new Result(List.copyOf(finished), best, variant(base, best.values()).toJson());
    }

    /** The grid's points in a seeded random order, at most {@code options.trials()} of them. */
    static List<Map<String, Object>> draw(Map<String, List<Object>> space, Options options) {
        if (space.isEmpty()) {
            throw new IllegalArgumentException("nothing to search: give at least one setting with its candidate values");
        }
        long size = 1;
        List<String> keys = new ArrayList<>(space.keySet());
        for (String k : keys) {
            if (space.get(k).isEmpty()) {
                throw new IllegalArgumentException("the search setting \"" + k + "\" has no candidate values");
            }
            size = Math.min(Long.MAX_VALUE / 1024, size * space.get(k).size());
        }
        Random random = new Random(options.seed());
        List<Long> points = new ArrayList<>();
        if (size <= options.trials()) {
            for (long p = 0; p < size; p++) {
                points.add(p);
            }
            java.util.Collections.shuffle(points, random);
        } else {
            java.util.Set<Long> seen = new java.util.LinkedHashSet<>();
            while (seen.size() < options.trials()) {
                seen.add(Math.floorMod(random.nextLong(), size));
            }
            points.addAll(seen);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (long p : points) {
            Map<String, Object> values = new LinkedHashMap<>();
            long rest = p;
            for (String k : keys) {
                List<Object> candidates = space.get(k);
                values.put(k, candidates.get((int) (rest % candidates.size())));
                rest /= candidates.size();
            }
            out.add(values);
        }
        return out;
    }

    /** The base config with {@code values} set in the sections they belong to. */
    @SuppressWarnings("unchecked")
    static TrainingConfig variant(TrainingConfig base, Map<String, Object> values) {
        Map<String, Object> root = base.toJson();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String section = sectionOf(e.getKey());
            Map<String, Object> s = (Map<String, Object>) root.computeIfAbsent(section, k -> new LinkedHashMap<String, Object>());
            s.put(e.getKey(), e.getValue());
        }
        return TrainingConfig.of(base.file(), root);
    }

    /** "model" or "training": where a searchable key lives. */
    static String sectionOf(String key) {
        if (ModelSection.allKeys().contains(key)) {
            return "model";
        }
        if (ConfigSections.TRAINING_KEYS.contains(key)) {
            return "training";
        }
        List<String> all = new ArrayList<>(ModelSection.allKeys());
        all.addAll(ConfigSections.TRAINING_KEYS);
        String closest = JsonKeys.closest(key, all);
        throw new IllegalArgumentException("\"" + key + "\" is not a model or training setting"
                + (closest != null ? "; did you mean \"" + closest + "\"?" : "; see docs/config.md"));
    }
}
