package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.AtomicFiles;
import dev.tempora.tensor.io.Json;
import dev.tempora.tensor.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A trained model on disk: {@code model.safetensors} (the weights under PTF's state-dict names, with
 * a SHA-256) and {@code model.json} (format version, the model's hyper-parameters and variable
 * layout, the dataset description needed to prepare new data, and anything else the caller adds).
 * Both files are written atomically; loading checks the pair belongs together and that every
 * weight is present with the right shape, and says precisely what is wrong otherwise.
 */
public final class Checkpoint {

    public static final String WEIGHTS_FILE = "model.safetensors";
    public static final String METADATA_FILE = "model.json";
    static final int FORMAT_VERSION = 1;

    private Checkpoint() {}

    /** A loaded checkpoint: the model (in eval mode) and the extra JSON sections saved with it. */
    public record Loaded(TemporalFusionTransformer model, Map<String, Object> sections) {}

    /**
     * Saves the model into {@code directory} (created if needed).
     *
     * @param sections extra top-level JSON sections, e.g. {@code "dataset"} and {@code "training"}
     */
    public static void save(Path directory, TemporalFusionTransformer model, Map<String, Object> sections)
            throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : model.stateDict().entrySet()) {
            weights.put(e.getKey(), e.getValue().value());
        }
        Path weightsPath = directory.resolve(WEIGHTS_FILE);
        SafeTensors.write(weightsPath, weights, Map.of("format", "pt", "producer", "tempora"));
        String sha = SafeTensors.read(weightsPath).metadata().get(SafeTensors.CHECKSUM_KEY);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format_version", (long) FORMAT_VERSION);
        json.put("model_class", "TemporalFusionTransformer");
        json.put("weights_sha256", sha);
        json.put("parameters", model.parameterCount());
        json.put("model", model.config.toJson());
        for (Map.Entry<String, Object> e : sections.entrySet()) {
            if (json.containsKey(e.getKey())) {
                throw new IllegalArgumentException("checkpoint section '" + e.getKey() + "' is reserved");
            }
            json.put(e.getKey(), e.getValue());
        }
        try {
            AtomicFiles.writeString(directory.resolve(METADATA_FILE), Json.writePretty(json));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Loads a checkpoint directory written by {@link #save}. */
    public static Loaded load(Path directory) throws IOException {
        Path metaPath = directory.resolve(METADATA_FILE);
        Path weightsPath = directory.resolve(WEIGHTS_FILE);
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "model directory not found");
        }
        if (!Files.exists(metaPath)) {
            throw new NoSuchFileException(metaPath.toString(), null, "checkpoint metadata not found");
        }
        Map<String, Object> json;
        try {
            json = Json.parseObject(Files.readString(metaPath));
        } catch (IllegalArgumentException e) {
            throw new IOException(metaPath + ": " + e.getMessage(), e);
        }
        JsonFields f = new JsonFields(json, metaPath.toString());
        int version = f.integer("format_version");
        if (version != FORMAT_VERSION) {
            throw new IOException(metaPath + ": checkpoint format version " + version + ", this Tempora reads "
                    + FORMAT_VERSION);
        }
        TftConfig config;
        try {
            config = TftConfig.fromJson(f.map("model"));
        } catch (IllegalArgumentException e) {
            throw new IOException(metaPath + ": " + e.getMessage(), e);
        }
        SafeTensors.Contents contents = SafeTensors.read(weightsPath);
        String expectedSha = f.string("weights_sha256", null);
        String actualSha = contents.metadata().get(SafeTensors.CHECKSUM_KEY);
        if (expectedSha != null && !expectedSha.equals(actualSha)) {
            throw new IOException(weightsPath + " does not belong to " + metaPath + " (weights checksum "
                    + actualSha + ", the metadata expects " + expectedSha + ")");
        }
        TemporalFusionTransformer model = new TemporalFusionTransformer(config);
        loadWeights(model, contents.tensors(), weightsPath.toString());
        model.eval();
        Map<String, Object> sections = new LinkedHashMap<>(json);
        for (String reserved : new String[] {"format_version", "model_class", "weights_sha256", "parameters", "model"}) {
            sections.remove(reserved);
        }
        return new Loaded(model, sections);
    }

    /** Copies weights by name into a model, reporting missing, unexpected and mis-shaped entries. */
    public static void loadWeights(Module model, Map<String, Tensor> weights, String source) throws IOException {
        Map<String, Variable> state = model.stateDict();
        TreeSet<String> missing = new TreeSet<>(state.keySet());
        missing.removeAll(weights.keySet());
        TreeSet<String> unexpected = new TreeSet<>(weights.keySet());
        unexpected.removeAll(state.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IOException(source + " does not match the model: " + (missing.isEmpty() ? "" : "missing " + missing)
                    + (missing.isEmpty() || unexpected.isEmpty() ? "" : "; ")
                    + (unexpected.isEmpty() ? "" : "unexpected " + unexpected));
        }
        for (Map.Entry<String, Variable> e : state.entrySet()) {
            Tensor w = weights.get(e.getKey());
            if (!w.sameShape(e.getValue().value())) {
                throw new IOException(source + ": weight '" + e.getKey() + "' has shape " + java.util.Arrays.toString(w.shape())
                        + ", the model expects " + java.util.Arrays.toString(e.getValue().shape()));
            }
        }
        for (Map.Entry<String, Variable> e : state.entrySet()) {
            e.getValue().value().copyFrom(weights.get(e.getKey()));
        }
    }
}
