package dev.tempora.spark;

import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesPartitionsTest {

    private static final List<String> GROUP_IDS = List.of("pulocationid");

    private static Frame taxi() throws Exception {
        return TrainingConfig.load(Path.of(SeriesPartitionsTest.class.getResource("/small-taxi.json").toURI())).loadFrame();
    }

    @Test
    void everySeriesLiesWhollyInOnePartitionAndThePartitionsAreBalanced() throws Exception {
        Frame table = taxi();
        int[] partition = SeriesPartitions.assign(table, GROUP_IDS, 3);
        Column id = table.column("pulocationid");
        Map<String, Integer> seen = new HashMap<>();
        int[] seriesPerPartition = new int[3];
        for (int r = 0; r < partition.length; r++) {
            Integer before = seen.putIfAbsent(id.format(r), partition[r]);
            if (before == null) {
                seriesPerPartition[partition[r]]++;
            } else {
                assertEquals(before, partition[r], "series " + id.format(r) + " split across partitions");
            }
        }
        int series = SeriesPartitions.count(table, GROUP_IDS);
        assertEquals(series, seen.size());
        for (int count : seriesPerPartition) {
            assertTrue(Math.abs(count - series / 3.0) < 1, "unbalanced: " + java.util.Arrays.toString(seriesPerPartition));
        }
    }

    @Test
    void theAssignmentDependsOnTheSeriesNotOnTheRowOrder() throws Exception {
        Frame table = taxi();
        int[] reversedRows = new int[table.rowCount()];
        for (int r = 0; r < reversedRows.length; r++) {
            reversedRows[r] = reversedRows.length - 1 - r;
        }
        int[] forward = SeriesPartitions.assign(table, GROUP_IDS, 2);
        int[] backward = SeriesPartitions.assign(table.select(reversedRows), GROUP_IDS, 2);
        int[] backwardInForwardOrder = new int[forward.length];
        for (int r = 0; r < forward.length; r++) {
            backwardInForwardOrder[reversedRows[r]] = backward[r];
        }
        assertArrayEquals(forward, backwardInForwardOrder);
    }

    @Test
    void refusesMorePartitionsThanSeriesAndAMissingColumn() throws Exception {
        Frame table = taxi();
        int series = SeriesPartitions.count(table, GROUP_IDS);
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> SeriesPartitions.assign(table, GROUP_IDS, series + 1));
        assertTrue(tooMany.getMessage().contains("fewer than the " + (series + 1) + " partitions"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SeriesPartitions.assign(table, List.of("no_such_column"), 2));
    }
}
