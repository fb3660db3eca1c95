import dev.tempora.models.Checkpoint;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.SafeTensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The kill -9 campaign's checks (scripts/kill-campaign.sh), run as a source file on the launcher's class path:
 * <pre>
 *   java -cp 'cli/target/lib/*' scripts/CheckpointCheck.java loads DIR     every file under its final name in DIR reads
 *   java -cp 'cli/target/lib/*' scripts/CheckpointCheck.java same A B      two safetensors files hold bitwise the same tensors
 * </pre>
 * Exit status 0 when the check holds, 1 (with the reason on stderr) when it does not.
 */
public class CheckpointCheck {

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("loads")) {
            System.exit(loads(Path.of(args[1])) ? 0 : 1);
        } else if (args.length == 3 && args[0].equals("same")) {
            System.exit(same(Path.of(args[1]), Path.of(args[2])) ? 0 : 1);
        }
        System.err.println("usage: CheckpointCheck loads DIR | same A.safetensors B.safetensors");
        System.exit(2);
    }

    /** The model pair (when model.json is there) loads, and the last training state (when there) reads. */
    static boolean loads(Path dir) {
        boolean ok = true;
        try {
            if (Files.exists(dir.resolve(Checkpoint.METADATA_FILE)) || Files.exists(dir.resolve(Checkpoint.WEIGHTS_FILE))) {
                Checkpoint.load(dir);
            }
        } catch (Exception e) {
            System.err.println("model in " + dir + " does not load: " + e.getMessage());
            ok = false;
        }
        Path state = dir.resolve("last-state.safetensors");
        try {
            if (Files.exists(state)) {
                SafeTensors.read(state);
            }
        } catch (Exception e) {
            System.err.println(state + " does not read: " + e.getMessage());
            ok = false;
        }
        return ok;
    }

    /** Same tensor names, shapes and float bits (the file bytes may differ in header order). */
    static boolean same(Path a, Path b) throws Exception {
        Map<String, Tensor> x = SafeTensors.read(a).tensors();
        Map<String, Tensor> y = SafeTensors.read(b).tensors();
        if (!x.keySet().equals(y.keySet())) {
            System.err.println("different tensor names: " + x.keySet() + " vs " + y.keySet());
            return false;
        }
        for (String name : x.keySet()) {
            float[] u = x.get(name).toFloatArray();
            float[] v = y.get(name).toFloatArray();
            if (!Arrays.equals(x.get(name).shape(), y.get(name).shape())) {
                System.err.println(name + ": shapes differ");
                return false;
            }
            for (int i = 0; i < u.length; i++) {
                if (Float.floatToRawIntBits(u[i]) != Float.floatToRawIntBits(v[i])) {
                    System.err.println(name + "[" + i + "]: " + u[i] + " vs " + v[i]);
                    return false;
                }
            }
        }
        System.out.println(x.size() + " tensors bitwise identical: " + a + " and " + b);
        return true;
    }
}
