package dev.tempora.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The safetensors loader ({@link SafeTensors#read}) on arbitrary bytes.
 *
 * <p>Contract: the tensors, each holding as many values as its shape says, or an {@link IOException} naming
 * the file and what is corrupt (header length, JSON, a tensor's dtype, shape or offsets, the checksum), with a
 * message. No other exception: a corrupt checkpoint must read as a corrupt checkpoint.
 */
class SafeTensorsFuzzTest {

    @FuzzTest
    void readSafeTensors(byte[] input) {
        if (!FuzzContract.withinBound(input)) {
            return;
        }
        Path file = FuzzContract.writeScratch("model.safetensors", input);
        FuzzContract.expectResultOrDocumentedError("SafeTensors.read", () -> {
            SafeTensors.Contents contents = SafeTensors.read(file);
            for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
                long count = 1;
                for (int size : e.getValue().shape()) {
                    count *= size;
                }
                assertEquals(count, e.getValue().toFloatArray().length, "tensor '" + e.getKey() + "' size");
            }
        }, IOException.class);
    }
}
