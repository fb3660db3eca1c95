package dev.tempora.spark;

import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.ParquetFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a long-format table (one row per series and time step) into partitions of whole series, by a rule
 * that depends on the set of series alone: the series sorted by their group-id values, the i-th of them in
 * partition {@code i mod N}. Every series lies in exactly one partition, the partitions differ in size by at most
 * one series, and the same table always splits the same way, on any machine and in any run, which is what
 * lets a resumed or re-run training task find the same data and a one-process run rebuild the same partitions.
 */
public final class SeriesPartitions {

    private SeriesPartitions() {}

    /**
     * The partition of every row of {@code table}.
     *
     * @param groupIds   the columns that identify a series (the dataset's group_ids)
     * @param partitions how many partitions (at least 1)
     * @throws IllegalArgumentException when a group-id column is missing, or there are fewer series than partitions
     */
    public static int[] assign(Frame table, List<String> groupIds, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("the number of partitions must be at least 1, got " + partitions);
        }
        List<String>[] rowKeys = rowKeys(table, groupIds);
        Map<List<String>, Integer> rank = ranks(rowKeys);
        if (rank.size() < partitions) {
            throw new IllegalArgumentException(table.source() + " holds " + rank.size() + " series, fewer than the "
                    + partitions + " partitions asked for; use at most " + rank.size() + " tasks");
        }
        int[] out = new int[table.rowCount()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rank.get(rowKeys[r]) % partitions;
        }
        return out;
    }

    /** The number of series in {@code table}: distinct combinations of the {@code groupIds} columns' values. */
    public static int count(Frame table, List<String> groupIds) {
        return ranks(rowKeys(table, groupIds)).size();
    }

    /** Each series key's rank in sorted order; a TreeMap keeps the order independent of row order and hashing. */
    private static Map<List<String>, Integer> ranks(List<String>[] rowKeys) {
        Map<List<String>, Integer> rank = new TreeMap<>(SeriesPartitions::compareKeys);
        for (List<String> key : rowKeys) {
            rank.putIfAbsent(key, 0);
        }
        int next = 0;
        for (Map.Entry<List<String>, Integer> e : rank.entrySet()) {
            e.setValue(next++);
        }
        return rank;
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] rowKeys(Frame table, List<String> groupIds) {
        if (groupIds.isEmpty()) {
            throw new IllegalArgumentException("partitioning by series needs the dataset's group_ids; the config names none");
        }
        List<Column> keys = new ArrayList<>();
        for (String name : groupIds) {
            if (!table.has(name)) {
                throw new IllegalArgumentException(table.source() + ": no group-id column '" + name + "' (columns: "
                        + table.names() + ")");
            }
            keys.add(table.column(name));
        }
        List<String>[] out = new List[table.rowCount()];
        for (int r = 0; r < out.length; r++) {
            String[] key = new String[keys.size()];
            for (int k = 0; k < key.length; k++) {
                key[k] = keys.get(k).isMissing(r) ? "" : keys.get(k).format(r);
            }
            out[r] = Arrays.asList(key);
        }
        return out;
    }

    /** The rows of partition {@code partition}, in their order in {@code table}. */
    public static Frame select(Frame table, int[] assignment, int partition) {
        return table.select(rowsOf(assignment, partition));
    }

    /**
     * Writes each partition of {@code table} to its own Parquet file, {@link #file}{@code (directory, prefix, p)}.
     *
     * @return the files, partition 0 first
     */
    public static List<Path> write(Frame table, int[] assignment, int partitions, Path directory, String prefix) {
        List<Path> files = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            Path file = file(directory, prefix, p);
            ParquetFiles.write(select(table, assignment, p), file);
            files.add(file);
        }
        return files;
    }

    /** Where partition {@code partition} of the file set {@code prefix} lies in {@code directory}. */
    public static Path file(Path directory, String prefix, int partition) {
        return directory.resolve(String.format(java.util.Locale.ROOT, "%s-%05d.parquet", prefix, partition));
    }

    private static int[] rowsOf(int[] assignment, int partition) {
        int count = 0;
        for (int p : assignment) {
            if (p == partition) {
                count++;
            }
        }
        int[] rows = new int[count];
        int next = 0;
        for (int r = 0; r < assignment.length; r++) {
            if (assignment[r] == partition) {
                rows[next++] = r;
            }
        }
        return rows;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
