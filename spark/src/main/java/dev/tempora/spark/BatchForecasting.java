package dev.tempora.spark;

import dev.tempora.data.Frame;
import dev.tempora.data.ParquetFiles;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.models.Checkpoint;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Forecasts many series as a Spark job: the model (its two files, a few hundred kB) is broadcast, each task
 * forecasts the series of one input file with the library's {@link TrainedModel#predict} and writes
 * {@code part-NNNNN.parquet} with the columns of {@code tempora predict}'s output.
 *
 * <p>Input: a directory of Parquet files, each holding whole series (as Spark writes a table repartitioned by the
 * series ids), one task per file; or one table file, which the driver reads with the model's data options and
 * splits by series ({@link SeriesPartitions}) into {@code tasks} files under {@code OUT/_input} first.
 */
public final class BatchForecasting {

    /** The folder under the output directory where the driver puts a single table's partitions (removed after). */
    public static final String INPUT_FOLDER = "_input";

    private BatchForecasting() {}

    /**
     * Forecasts every series under {@code data} with the model in {@code modelDirectory} and writes the forecasts
     * under {@code outputDirectory}; returns the files written, part 0 first.
     *
     * @param tasks how many partitions to split a single table file into (ignored for a directory)
     */
    public static List<Path> run(JavaSparkContext spark, Path modelDirectory, Path data, Path outputDirectory, int tasks)
            throws IOException {
        if (tasks < 1) {
            throw new IllegalArgumentException("--tasks must be at least 1, got " + tasks);
        }
        TrainedModel model = TrainedModel.load(modelDirectory);
        Files.createDirectories(outputDirectory);
        List<String> inputs = new ArrayList<>();
        boolean prepared = !Files.isDirectory(data);
        Path staging = outputDirectory.resolve(INPUT_FOLDER);
        if (prepared) {
            Frame table = model.readTable(data);
            int count = Math.min(tasks, SeriesPartitions.count(table, model.parameters().groupIds));
            int[] partition = SeriesPartitions.assign(table, model.parameters().groupIds, count);
            Files.createDirectories(staging);
            SeriesPartitions.write(table, partition, count, staging, "part").forEach(p -> inputs.add(p.toAbsolutePath().toString()));
        } else {
            try (Stream<Path> files = Files.list(data)) {
                files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted()
                        .forEach(p -> inputs.add(p.toAbsolutePath().toString()));
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException(data + ": no .parquet file in this directory");
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of(Checkpoint.WEIGHTS_FILE, Checkpoint.METADATA_FILE)) {
            files.put(name, Files.readAllBytes(modelDirectory.resolve(name)));
        }
        Broadcast<Map<String, byte[]>> shared = spark.broadcast(files);
        String out = outputDirectory.toAbsolutePath().toString();
        List<String> written = spark.parallelize(inputs, inputs.size()).mapPartitionsWithIndex((index, paths) -> {
            TrainedModel local = loadCopy(shared.value());
            List<String> parts = new ArrayList<>();
            while (paths.hasNext()) {
                Path input = Path.of(paths.next());
                Frame table = prepared ? ParquetFiles.read(input) : local.readTable(input);
                Path part = Path.of(out, String.format(java.util.Locale.ROOT, "part-%05d.parquet", index));
                local.predict(table).table().write(part);
                parts.add(part.toString());
            }
            return parts.iterator();
        }, false).collect();
        shared.destroy();
        if (prepared) {
            deleteTree(staging);
        }
        return written.stream().map(Path::of).toList();
    }

    /** Writes the broadcast model files to a folder of this executor and loads them. */
    private static TrainedModel loadCopy(Map<String, byte[]> files) {
        try {
            Path folder = Files.createTempDirectory("tempora-model-");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(folder.resolve(f.getKey()), f.getValue());
            }
            TrainedModel model = TrainedModel.load(folder);
            deleteTree(folder);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("copying the broadcast model: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
