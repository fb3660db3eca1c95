package dev.tempora.spark;

import dev.tempora.models.Checkpoint;
import dev.tempora.parallel.Trainer;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares two training output directories tensor by tensor, bit for bit: the best model
 * ({@code model.safetensors}) and the last state ({@code last-state.safetensors}: the final weights and the
 * optimiser's moments). Metadata (timings, checksums of the files) is not compared.
 */
public final class WeightComparison {

    private WeightComparison() {}

    /** The files compared, in each directory. */
    public static final List<String> FILES = List.of(Checkpoint.WEIGHTS_FILE, Trainer.LAST_STATE_FILE);

    /**
     * The differences between the two directories' tensors: a missing file or tensor, another shape, or the first
     * element whose bits differ. Empty when the weights are equal.
     */
    public static List<String> differences(Path first, Path second) throws IOException {
        List<String> out = new ArrayList<>();
        for (String file : FILES) {
            Path a = first.resolve(file);
            Path b = second.resolve(file);
            if (!Files.exists(a) || !Files.exists(b)) {
                out.add(file + ": missing in " + (Files.exists(a) ? second : first));
                continue;
            }
            Map<String, Tensor> left = SafeTensors.read(a).tensors();
            Map<String, Tensor> right = SafeTensors.read(b).tensors();
            TreeSet<String> names = new TreeSet<>(left.keySet());
            names.addAll(right.keySet());
            for (String name : names) {
                String difference = compare(left.get(name), right.get(name));
                if (difference != null) {
                    out.add(file + ": " + name + ": " + difference);
                }
            }
        }
        return out;
    }

    private static String compare(Tensor a, Tensor b) {
        if (a == null || b == null) {
            return "present on one side only";
        }
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            return "shapes " + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape());
        }
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                return "element " + i + ": " + x[i] + " and " + y[i];
            }
        }
        return null;
    }
}
