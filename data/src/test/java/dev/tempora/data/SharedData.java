package dev.tempora.data;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ../shared/data (the real data sets), or skips the calling test with a message when it is absent. */
final class SharedData {

    private SharedData() {}

    static Path dir() {
        String property = System.getProperty("tempora.shared.dir");
        Path shared = property != null ? Path.of(property) : Path.of("..", "shared");
        if (!Files.isDirectory(shared.resolve("data"))) {
            shared = Path.of("..", "..", "shared"); // run from the data/ module folder
        }
        return shared.resolve("data");
    }

    /** The named file of ../shared/data; skips the test when it is not there. */
    static Path file(String name) {
        Path p = dir().resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p),
                "skipped: " + p.toAbsolutePath().normalize() + " is absent (the shared data sets live beside the project in ../shared/data)");
        return p;
    }
}
