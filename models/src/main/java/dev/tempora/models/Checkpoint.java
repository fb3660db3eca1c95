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
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A trained model on disk: {@code model.safetensors} (the weights under PTF's state-dict names, with
 * a SHA-256) and {@code model.json} (format version, the model's {@linkplain ForecastingModel#kind()
 * kind} and {@linkplain ForecastingModel#configJson() config}, the dataset description needed to
 * prepare new data, and anything else the caller adds). Loading rebuilds the model through
 * {@link ModelKinds}; a {@code model.json} without a kind (written before there was more than one)
 * holds a Temporal Fusion Transformer.
 * Both files are written atomically; loading checks the pair belongs together and that every
 * weight is present with the right shape, and says precisely what is wrong otherwise.
 */
public final class Checkpoint {

    /** The weights' file name in a checkpoint directory. */
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** The metadata's file name in a checkpoint directory. */
    public static final String METADATA_FILE = "model.json";
    static final int FORMAT_VERSION = 1;
    /** The top-level {@code model.json} keys the checkpoint itself writes; callers' sections may not use them. */
    private static final List<String> RESERVED = List.of("format_version", "kind", "model_class", "weights_sha256",
            "parameters", "model");

    private Checkpoint() {}

    /**
     * A loaded checkpoint.
     *
     * @param model    the model, in eval mode, with the saved weights
     * @param sections the extra top-level JSON sections saved with it
     */
    public record Loaded(ForecastingModel model, Map<String, Object> sections) {}

    /**
     * Saves the model into {@code directory} (created if needed).
     *
     * @param directory where to write {@value #WEIGHTS_FILE} and {@value #METADATA_FILE}
     * @param model     the model; its kind must be registered in {@link ModelKinds} for the checkpoint to load
     * @param sections  extra top-level JSON sections, e.g. {@code "dataset"} and {@code "training"}
     * @throws IOException if a file cannot be written
     * @throws IllegalArgumentException if a section uses a name the checkpoint reserves
     */
    public static void save(Path directory, ForecastingModel model, Map<String, Object> sections)
            throws IOException {
        for (String key : sections.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("checkpoint section '" + key + "' is reserved");
            }
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : model.stateDict().entrySet()) {
            weights.put(e.getKey(), e.getValue().value());
        }
        Path weightsPath = directory.resolve(WEIGHTS_FILE);
        SafeTensors.write(weightsPath, weights, Map.of("format", "pt", "producer", "tempora"));
        String sha = SafeTensors.read(weightsPath).metadata().get(SafeTensors.CHECKSUM_KEY);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format_version", (long) FORMAT_VERSION);
        json.put("kind", model.kind());
        json.put("weights_sha256", sha);
        json.put("parameters", model.parameterCount());
        json.put("model", model.configJson());
        json.putAll(sections);
        try {
            AtomicFiles.writeString(directory.resolve(METADATA_FILE), Json.writePretty(json));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Loads a checkpoint directory written by {@link #save}.
     *
     * @param directory the checkpoint directory
     * @return the model, rebuilt by {@link ModelKinds} from its kind and config, with the saved weights
     * @throws java.nio.file.NoSuchFileException if the directory or its metadata is missing
     * @throws IOException if a file cannot be read, the metadata is malformed or names an unknown kind,
     *                     or the weights do not belong to it or do not fit the model
     */
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
        ForecastingModel model;
        String expectedSha;
        // A missing or mistyped field is a malformed file: IOException, as for unparseable JSON.
        try {
            int version = f.integer("format_version");
            if (version != FORMAT_VERSION) {
                throw new IOException(metaPath + ": checkpoint format version " + version + ", this Tempora reads "
                        + FORMAT_VERSION);
            }
            // Checkpoints written before there were several kinds name the class instead, or nothing: the TFT.
            String kind = f.string("kind", f.string("model_class", TemporalFusionTransformer.KIND));
            expectedSha = f.string("weights_sha256", null);
            Map<String, Object> config = f.map("model");
            try {
                model = ModelKinds.create(kind, config);
            } catch (IllegalArgumentException e) {
                throw new IOException(metaPath + ": " + e.getMessage(), e);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        SafeTensors.Contents contents = SafeTensors.read(weightsPath);
        String actualSha = contents.metadata().get(SafeTensors.CHECKSUM_KEY);
        if (expectedSha != null && !expectedSha.equals(actualSha)) {
            throw new IOException(weightsPath + " does not belong to " + metaPath + " (weights checksum "
                    + actualSha + ", the metadata expects " + expectedSha + ")");
        }
        loadWeights(model, contents.tensors(), weightsPath.toString());
        model.eval();
        Map<String, Object> sections = new LinkedHashMap<>(json);
        sections.keySet().removeAll(RESERVED);
        return new Loaded(model, sections);
    }

    /**
     * Copies weights by name into a model's {@linkplain ForecastingModel#stateDict() state dict}, reporting
     * missing, unexpected and mis-shaped entries; nothing is copied unless every weight fits.
     *
     * @param model   the model to fill
     * @param weights the weights by state-dict name
     * @param source  where the weights come from, for the error message
     * @throws IOException if the names or shapes do not match the model's
     */
    public static void loadWeights(ForecastingModel model, Map<String, Tensor> weights, String source)
            throws IOException {
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
