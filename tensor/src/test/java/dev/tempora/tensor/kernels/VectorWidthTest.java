package dev.tempora.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The surefire executions in tensor/pom.xml rerun this package at each forced width (512 too, emulated
 * on a CPU without AVX-512). This test makes a wiring mistake (property not reaching the JVM, the vector
 * module missing, a width being silently clamped) fail instead of quietly testing the same width twice.
 */
class VectorWidthTest {

    @Test
    void forcedWidthIsInEffect() {
        String forced = System.getProperty(VectorSupport.BITS_PROPERTY, "").trim();
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        System.out.println("[tempora] kernels under test: " + VectorSupport.describe());
        if (forced.isEmpty()) {
            assertTrue(VectorSupport.ENABLED, VectorSupport.describe());
            assertEquals(preferred, VectorSupport.BITS, "unforced runs use the preferred species");
        } else if (forced.equals("scalar") || forced.equals("0")) {
            assertFalse(VectorSupport.ENABLED, VectorSupport.describe());
            assertEquals(0, VectorSupport.BITS);
            assertEquals(1, VectorSupport.LANES);
        } else {
            int requested = Integer.parseInt(forced);
            // Honoured even above the CPU's widest (emulated by the Vector API): never silently narrowed.
            assertTrue(VectorSupport.ENABLED, VectorSupport.describe());
            assertEquals(requested, VectorSupport.BITS);
        }
        if (VectorSupport.ENABLED) {
            assertEquals(VectorSupport.BITS / 32, VectorSupport.LANES);
            assertEquals(VectorSupport.BITS, Species.FLOAT.vectorBitSize(), "the kernels' species");
            assertEquals(VectorSupport.LANES, Species.LANES);
        }
    }

    @Test
    void theLastTieredStopAtLevelDecidesWhetherC2Runs() {
        assertTrue(VectorSupport.c2Enabled(List.of("-Xss8m")));
        assertFalse(VectorSupport.c2Enabled(List.of("-XX:TieredStopAtLevel=1")));
        // The launcher's C1 choice for a small predict, overridden by TEMPORA_JAVA_OPTS after it: C2 runs.
        assertTrue(VectorSupport.c2Enabled(List.of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4")));
        assertFalse(VectorSupport.c2Enabled(List.of("-XX:TieredStopAtLevel=4", "-XX:TieredStopAtLevel=3")));
        assertFalse(VectorSupport.c2Enabled(List.of("-Xint", "-XX:TieredStopAtLevel=4")));
    }
}
