package dev.tempora.parallel;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the tests that start a second JVM (crash, kill and reproducibility tests) need to start it. */
public final class ChildJvm {

    private ChildJvm() {}

    /**
     * The class path of a child JVM that runs {@code main}: the module path and the class path of this JVM
     * (surefire uses either) and the location of {@code main}'s class (patched into the module on the module path).
     *
     * @param main the class the child runs
     * @return the class path
     * @throws URISyntaxException when the class's location is not a file path
     */
    public static String classPath(Class<?> main) throws URISyntaxException {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(key);
            if (value != null && !value.isBlank()) {
                parts.add(value);
            }
        }
        parts.add(Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(File.pathSeparator, parts);
    }
}
