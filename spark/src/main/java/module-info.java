/**
 * Data-parallel TFT training as a Spark barrier stage, and batch forecasting on a Spark cluster.
 *
 * <p>Spark and Scala are not required here: Spark runs its applications on the class path, and its jars
 * split packages among themselves (every Spark jar holds {@code org.apache.spark.unused}), so they cannot be
 * modules. This module reads the class path instead, and opens its package to it: Spark serialises the
 * functions it ships to executors and reflects on them. The shaded application jar leaves this descriptor out.
 */
module dev.tempora.spark {
    requires transitive dev.tempora.forecast; // its API takes frames, settings and models
    requires info.picocli;

    exports dev.tempora.spark;
    opens dev.tempora.spark;
}
