package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.models.Checkpoint;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A model directory that combines K trained models: its {@value #FILE} names the members and how their
 * quantile forecasts combine, element-wise over series, steps and quantiles: the median (the default;
 * for an even K the mean of the two middle values) or the mean. {@link TrainedModel#load} reads such a
 * directory as one model that predict, evaluate and backtest take like any other:
 *
 * <pre>{@code
 * {"format": "tempora-ensemble", "version": 1, "combine": "median",
 *  "members": ["member-1", "member-2", "member-3"]}
 * }</pre>
 *
 * Members are model directories, relative to the ensemble's directory (or absolute), trained on the same
 * data set with the same data set parameters, preprocessing and quantiles (members of one config that
 * differ only in the seed are). {@code tempora train --ensemble K} trains them one after the other into
 * member-1 … member-K and writes {@value #FILE} last, atomically: a directory whose ensemble training did
 * not finish has no {@value #FILE} and is not loadable as an ensemble (its finished members are, one by one).
 * {@link #create} (and {@code tempora ensemble}) makes one of models already trained, of any kinds.
 */
public final class Ensemble {

    /** The file that makes a directory an ensemble. */
    public static final String FILE = "ensemble.json";
    /** The {@code format} value of {@value #FILE}. */
    public static final String FORMAT = "tempora-ensemble";
    /** The name of the i-th (1-based) member directory that {@code train --ensemble} writes. */
    public static final String MEMBER_PREFIX = "member-";

    /** How the members' forecasts combine, element-wise. */
    public enum Combine {
        /** The median of the K values (for an even K, the mean of the two middle ones): robust to one bad member. */
        MEDIAN,
        /** The arithmetic mean of the K values. */
        MEAN;

        /**
         * Reads a combine name.
         *
         * @param name "median" or "mean" (any case)
         * @return the combination
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Combine parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "median" -> MEDIAN;
                case "mean" -> MEAN;
                default -> throw new IllegalArgumentException("an ensemble combines by \"median\" or \"mean\", got \"" + name + "\"");
            };
        }

        /** {@return the name as {@value Ensemble#FILE} writes it: "median" or "mean"} */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Ensemble() {}

    /**
     * {@return whether {@code directory} holds an {@value #FILE}}
     *
     * @param directory a directory
     */
    public static boolean isEnsemble(Path directory) {
        return Files.isRegularFile(directory.resolve(FILE));
    }

    /**
     * {@return the i-th member's directory as {@code train --ensemble} names it: DIR/member-i}
     *
     * @param directory the ensemble's directory
     * @param index     1 for the first member
     */
    public static Path memberDirectory(Path directory, int index) {
        return directory.resolve(MEMBER_PREFIX + index);
    }

    /**
     * Writes {@code directory}/{@value #FILE} atomically (a temporary file moved into place), after
     * checking that every member is a model directory; write it after the members are complete.
     *
     * @param directory the ensemble's directory (created when missing)
     * @param members   the members' directories; those inside {@code directory} are written relative to it
     * @param combine   how their forecasts combine
     * @throws IllegalArgumentException when there are no members, or one has no model.json
     * @throws UncheckedIOException     when the file cannot be written
     */
    public static void write(Path directory, List<Path> members, Combine combine) {
        Objects.requireNonNull(combine, "combine");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        Path base = directory.toAbsolutePath().normalize();
        List<String> names = new ArrayList<>();
        for (Path member : members) {
            if (!Files.isRegularFile(member.resolve(Checkpoint.METADATA_FILE))) {
                throw new IllegalArgumentException(member + " is not a model directory (it has no " + Checkpoint.METADATA_FILE
                        + "); train the members before writing " + FILE);
            }
            Path absolute = member.toAbsolutePath().normalize();
            names.add(absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", 1L);
        json.put("combine", combine.jsonName());
        json.put("members", names);
        try {
            Files.createDirectories(directory);
            Path pending = directory.resolve(FILE + ".pending");
            Files.writeString(pending, Json.writePretty(json) + "\n", StandardCharsets.UTF_8);
            Files.move(pending, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(directory.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes one ensemble of trained models, of any kinds (a TFT and an NLinear, say), as {@code tempora ensemble}
     * does: an ensemble given as a model contributes its members, so every single model weighs the same; a
     * model listed twice counts twice. Every member is loaded and checked against the first as loading an
     * ensemble does (the same quantiles, split and data preparation) before {@value #FILE} is written,
     * atomically, so a mismatch leaves no file behind.
     *
     * @param directory the ensemble's directory (created when missing); not a model directory itself
     * @param models    model or ensemble directories, at least one
     * @param combine   how the members' forecasts combine
     * @return the ensemble, of the members loaded for the check (as loading {@code directory} gives it)
     * @throws IllegalArgumentException when there is no model, {@code directory} is a model directory, or a
     *                                  model is missing, cannot be loaded or does not match the first (named)
     */
    public static TrainedModel create(Path directory, List<Path> models, Combine combine) {
        Objects.requireNonNull(combine, "combine");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model directory");
        }
        if (Files.exists(directory.resolve(Checkpoint.METADATA_FILE))) {
            throw new IllegalArgumentException(directory + " is a model directory (it holds " + Checkpoint.METADATA_FILE
                    + "); write the ensemble into a directory of its own");
        }
        List<Path> members = new ArrayList<>();
        for (Path model : models) {
            if (isEnsemble(model)) {
                members.addAll(read(model).members());
            } else {
                members.add(model); // a missing or broken one is named by loading it, below
            }
        }
        List<String> notes = new ArrayList<>();
        List<TrainedModel> loaded = EnsembleLoader.loadMembers("ensemble " + directory, members, notes);
        write(directory, members, combine);
        return TrainedModel.ensemble(directory, loaded, combine, notes);
    }

    /** Builds the training job of one member. */
    @FunctionalInterface
    public interface MemberJob {
        /**
         * The job that trains member {@code index}: the caller's set-up with that member's seed, saving into
         * {@code directory} (give it to {@link TrainingJob.Builder#outputDirectory}).
         *
         * @param index     1 for the first member
         * @param directory where the member must be saved, DIR/member-index
         * @return the member's training job
         */
        TrainingJob build(int index, Path directory);
    }

    /**
     * What {@link #train} did: each member's training result, and the ensemble loaded from its directory.
     *
     * @param members  each member's training result, in order
     * @param ensemble the ensemble, loaded from the directory
     */
    public record Trained(List<TrainingJob.Result> members, TrainedModel ensemble) {}

    /**
     * Trains {@code count} members one after the other into DIR/member-1 … member-K, each keeping its own best
     * epoch, then writes {@value #FILE} last (atomically) and loads the ensemble. A {@value #FILE} left from an
     * earlier ensemble in {@code directory} is removed first, so that a training cut short leaves no loadable
     * ensemble of old and new members.
     *
     * @param directory the ensemble's directory
     * @param count     K, at least 1
     * @param combine   how the members' forecasts combine
     * @param jobs      builds each member's job (with its own seed: {@code tempora train} gives seed, seed + 1, ...)
     * @return the members' results and the loaded ensemble
     * @throws IllegalArgumentException when {@code count} is below 1 or a job does not save into its member directory
     */
    public static Trained train(Path directory, int count, Combine combine, MemberJob jobs) {
        if (count < 1) {
            throw new IllegalArgumentException("an ensemble needs at least 1 member, got " + count);
        }
        try {
            Files.deleteIfExists(directory.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(directory.resolve(FILE) + ": " + e.getMessage(), e);
        }
        List<TrainingJob.Result> results = new ArrayList<>();
        List<Path> members = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Path member = memberDirectory(directory, i);
            TrainingJob.Result result = jobs.build(i, member).fit();
            if (!member.equals(result.model().directory())) {
                throw new IllegalArgumentException("member " + i + "'s job saved into " + result.model().directory() + ", not " + member
                        + ": give the directory to TrainingJob.Builder.outputDirectory");
            }
            results.add(result);
            members.add(member);
        }
        write(directory, members, combine);
        return new Trained(List.copyOf(results), TrainedModel.load(directory));
    }

    /** What {@value #FILE} says: the members' directories (resolved) and the combination. */
    record Spec(List<Path> members, Combine combine) {}

    /**
     * Reads {@code directory}/{@value #FILE}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    static Spec read(Path directory) {
        Path file = directory.resolve(FILE);
        Map<String, Object> json;
        try {
            json = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a JSON object: " + e.getMessage(), e);
        }
        for (String key : json.keySet()) {
            if (!List.of("format", "version", "combine", "members").contains(key)) {
                throw new IllegalArgumentException(file + ": unknown key \"" + key + "\" (known: format, version, combine, members)");
            }
        }
        if (json.get("format") != null && !FORMAT.equals(json.get("format"))) {
            throw new IllegalArgumentException(file + ": format is \"" + json.get("format") + "\", expected \"" + FORMAT + "\"");
        }
        Object combine = json.getOrDefault("combine", "median");
        if (!(combine instanceof String name)) {
            throw new IllegalArgumentException(file + ": combine must be \"median\" or \"mean\", got " + combine);
        }
        if (!(json.get("members") instanceof List<?> listed) || listed.isEmpty()) {
            throw new IllegalArgumentException(file + ": \"members\" must be a non-empty list of member directories "
                    + "(relative to " + directory + ")");
        }
        List<Path> members = new ArrayList<>();
        for (Object member : listed) {
            if (!(member instanceof String path) || path.isBlank()) {
                throw new IllegalArgumentException(file + ": every member must be a directory path, got " + member);
            }
            members.add(directory.resolve(path));
        }
        try {
            return new Spec(members, Combine.parse(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The message for a directory without model.json or {@value #FILE} that holds member directories: an
     * ensemble training that did not finish; null when the directory does not look like one.
     */
    static String unfinished(Path directory) {
        if (!Files.isDirectory(memberDirectory(directory, 1)) || isEnsemble(directory)
                || Files.exists(directory.resolve(Checkpoint.METADATA_FILE))) {
            return null;
        }
        return directory + " holds " + MEMBER_PREFIX + "1 but no " + FILE + ": an ensemble training did not finish (" + FILE
                + " is written last, after every member); train it again with --ensemble, or load a finished member on its own";
    }

    /** A forecaster that combines the members' forecasts of each batch element-wise. */
    static Forecaster combined(List<Forecaster> members, Combine combine) {
        return new Forecaster() {
            @Override
            public String name() {
                return "ensemble";
            }

            @Override
            public Tensor forecast(Batch batch) {
                List<float[]> values = new ArrayList<>(members.size());
                int[] shape = null;
                for (Forecaster member : members) {
                    Tensor f = member.forecast(batch).contiguous();
                    if (shape == null) {
                        shape = f.shape();
                    } else if (!Arrays.equals(shape, f.shape())) {
                        throw new IllegalStateException("ensemble members forecast " + Arrays.toString(shape) + " and "
                                + Arrays.toString(f.shape()) + " for the same batch; members must share horizon and quantiles");
                    }
                    values.add(f.toFloatArray());
                }
                return Tensor.wrap(combine(values, combine), shape);
            }
        };
    }

    /** The element-wise median or mean of equally long arrays. */
    static float[] combine(List<float[]> values, Combine combine) {
        int k = values.size();
        int n = values.getFirst().length;
        float[] out = new float[n];
        double[] column = new double[k];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < k; m++) {
                column[m] = values.get(m)[i];
            }
            if (combine == Combine.MEAN) {
                double sum = 0;
                for (double v : column) {
                    sum += v;
                }
                out[i] = (float) (sum / k);
            } else {
                Arrays.sort(column);
                out[i] = (float) (k % 2 == 1 ? column[k / 2] : (column[k / 2 - 1] + column[k / 2]) / 2);
            }
        }
        return out;
    }
}
