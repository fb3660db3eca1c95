package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.Json;
import dev.tempora.tensor.io.SafeTensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The pair is one unit: a manifest ({@value #MANIFEST_FILE}) holds the SHA-256 of both whole files
 * and is written last, so that a kill at any moment leaves the old pair or the new pair (see
 * {@link CheckpointFiles} for the commit sequence). Loading checks the pair against the manifest, that
 * every weight is finite and present with the shape model.json's config gives it, and says precisely
 * what is wrong otherwise. The files are byte-reproducible: the same model and sections give the same
 * bytes in any JVM.
 */
public final class Checkpoint {

    /** The weights' file name in a checkpoint directory. */
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** The metadata's file name in a checkpoint directory. */
    public static final String METADATA_FILE = "model.json";
    /** The manifest's file name in a checkpoint directory: the SHA-256 of both files, in {@code sha256sum} format. */
    public static final String MANIFEST_FILE = "checksums.sha256";
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
     * @param notes    what the reader should know about how the directory was found (written before
     *                 the manifest existed; read from a save interrupted after its commit), one line each
     */
    public record Loaded(ForecastingModel model, Map<String, Object> sections, List<String> notes) {

        /**
         * A loaded checkpoint without notes.
         *
         * @param model    the model, in eval mode, with the saved weights
         * @param sections the extra top-level JSON sections saved with it
         */
        public Loaded(ForecastingModel model, Map<String, Object> sections) {
            this(model, sections, List.of());
        }
    }

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
        Files.createDirectories(directory);
        CheckpointFiles.recover(directory);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : model.stateDict().entrySet()) {
            weights.put(e.getKey(), e.getValue().value());
        }
        Path pendingWeights = directory.resolve(WEIGHTS_FILE + CheckpointFiles.PENDING_SUFFIX);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("producer", "tempora");
        SafeTensors.write(pendingWeights, weights, metadata);
        byte[] weightBytes = Files.readAllBytes(pendingWeights);
        String dataSha = SafeTensors.parse(weightBytes, pendingWeights.toString()).metadata().get(SafeTensors.CHECKSUM_KEY);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format_version", (long) FORMAT_VERSION);
        json.put("kind", model.kind());
        json.put("weights_sha256", dataSha);
        json.put("parameters", model.parameterCount());
        json.put("model", model.configJson());
        // A map without an order of its own is put in key order: model.json must have the same bytes in every JVM.
        json.putAll(sections instanceof java.util.SequencedMap<String, Object> ? sections : new java.util.TreeMap<>(sections));
        byte[] jsonBytes = Json.writePretty(json).getBytes(StandardCharsets.UTF_8);
        CheckpointFiles.writePending(directory, METADATA_FILE, jsonBytes);
        CheckpointFiles.commit(directory, CheckpointFiles.sha256(weightBytes), CheckpointFiles.sha256(jsonBytes));
    }

    /**
     * Loads a checkpoint directory written by {@link #save}.
     *
     * @param directory the checkpoint directory
     * @return the model, rebuilt by {@link ModelKinds} from its kind and config, with the saved weights
     * @throws java.nio.file.NoSuchFileException if the directory or its metadata is missing
     * @throws IOException if a file cannot be read or does not match the manifest, the metadata is
     *                     malformed or names an unknown kind, or the weights do not belong to it, do not
     *                     fit the model its config builds or are not all finite
     */
    public static Loaded load(Path directory) throws IOException {
        Path metaPath = directory.resolve(METADATA_FILE);
        Path weightsPath = directory.resolve(WEIGHTS_FILE);
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "model directory not found");
        }
        if (!Files.exists(metaPath) && !Files.exists(directory.resolve(MANIFEST_FILE))) {
            throw new NoSuchFileException(metaPath.toString(), null, "checkpoint metadata not found");
        }
        CheckpointFiles.Verified files = CheckpointFiles.read(directory);
        Map<String, Object> json;
        try {
            json = Json.parseObject(new String(files.metadata(), StandardCharsets.UTF_8));
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
        SafeTensors.Contents contents = SafeTensors.parse(files.weights(), weightsPath.toString());
        String actualSha = contents.metadata().get(SafeTensors.CHECKSUM_KEY);
        if (expectedSha != null && !expectedSha.equals(actualSha)) {
            throw new IOException(weightsPath + " does not belong to " + metaPath + " (weights checksum "
                    + actualSha + ", the metadata expects " + expectedSha + ")");
        }
        loadWeights(model, contents.tensors(), weightsPath.toString());
        if (json.get("parameters") instanceof Long count && count != model.parameterCount()) {
            throw new IOException(metaPath + ": says the model has " + count + " parameters, its config builds one with "
                    + model.parameterCount());
        }
        model.eval();
        Map<String, Object> sections = new LinkedHashMap<>(json);
        sections.keySet().removeAll(RESERVED);
        return new Loaded(model, sections, List.copyOf(files.notes()));
    }

    /**
     * Copies weights by name into a model's {@linkplain ForecastingModel#stateDict() state dict}, reporting
     * missing, unexpected, mis-shaped and non-finite entries; nothing is copied unless every weight fits.
     *
     * @param model   the model to fill
     * @param weights the weights by state-dict name
     * @param source  where the weights come from, for the error message
     * @throws IOException if the names or shapes do not match the model's, or a weight holds NaN or an infinity
     */
    public static void loadWeights(ForecastingModel model, Map<String, Tensor> weights, String source)
            throws IOException {
        Map<String, Variable> state = model.stateDict();
        TreeSet<String> missing = new TreeSet<>(state.keySet());
        missing.removeAll(weights.keySet());
        TreeSet<String> unexpected = new TreeSet<>(weights.keySet());
        unexpected.removeAll(state.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IOException(source + " does not match the model its config builds: " + (missing.isEmpty() ? "" : "missing " + missing)
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
        SafeTensors.requireFinite(weights, source);
        for (Map.Entry<String, Variable> e : state.entrySet()) {
            e.getValue().value().copyFrom(weights.get(e.getKey()));
        }
    }
}
