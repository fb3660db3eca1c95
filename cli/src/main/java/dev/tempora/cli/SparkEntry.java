package dev.tempora.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tempora train --spark}: hands the run to the optional spark module's {@code dev.tempora.spark.Main}, found by
 * name at run time, so that the cli neither depends on the module nor puts Spark's jars on its class path.
 */
final class SparkEntry {

    static final String MAIN = "dev.tempora.spark.Main";

    private SparkEntry() {}

    /** Runs {@code train} of the spark module with these options; fails with a clear message when it is absent. */
    static void train(Path config, Path out, String master, int tasks, Integer workers, Integer epochs, Long seed) {
        List<String> args = new ArrayList<>(List.of("train", "--config", config.toString(), "--out", out.toString(),
                "--master", master, "--tasks", Integer.toString(tasks)));
        if (workers != null) {
            args.addAll(List.of("--workers", workers.toString()));
        }
        if (epochs != null) {
            args.addAll(List.of("--epochs", epochs.toString()));
        }
        if (seed != null) {
            args.addAll(List.of("--seed", seed.toString()));
        }
        int status;
        try {
            Method run = Class.forName(MAIN).getMethod("run", String[].class);
            status = (Integer) run.invoke(null, (Object) args.toArray(String[]::new));
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new IllegalStateException("--spark needs the spark module and Spark's jars on the class path ("
                    + e.getMessage() + " is missing): run it through ./tempora, which adds them when --spark is given "
                    + "(after spark/spark-home.sh has laid out Spark's jars), or use spark-submit with tempora-spark's jar");
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(MAIN + ".run(String...) cannot be called: " + e, e);
        }
        if (status != 0) {
            throw new IllegalStateException("the Spark run failed (status " + status + ")");
        }
    }
}
