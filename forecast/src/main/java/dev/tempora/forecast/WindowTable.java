package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TimestampColumn;
import dev.tempora.models.Metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Per-window metrics as a table: series ids, origin (and its timestamp), points, then one column per metric. */
final class WindowTable {

    private WindowTable() {}

    static Frame of(TimeSeriesDataSet dataset, List<Evaluation.WindowScore> scores) {
        List<Column> columns = new ArrayList<>();
        List<String> groupIds = dataset.parameters().groupIds;
        for (int g = 0; g < groupIds.size(); g++) {
            StringColumn.Builder c = new StringColumn.Builder(groupIds.get(g), scores.size());
            for (Evaluation.WindowScore s : scores) {
                c.add(dataset.seriesGroupValues(dataset.window(s.window()).series()).get(g));
            }
            columns.add(c.build());
        }
        int[] origin = scores.stream().mapToInt(s -> dataset.window(s.window()).firstPredictionTimeIdx()).toArray();
        columns.add(new IntColumn("origin", origin));
        if (dataset.parameters().timestamp != null) {
            long[] micros = new long[origin.length];
            for (int i = 0; i < origin.length; i++) {
                micros[i] = dataset.timestampOf(origin[i]);
            }
            columns.add(new TimestampColumn("origin_" + dataset.parameters().timestamp, micros));
        }
        columns.add(new IntColumn("points", scores.stream().mapToInt(s -> (int) s.metrics().points()).toArray()));
        Map<String, ToDoubleFunction<Metrics>> metrics = new LinkedHashMap<>();
        metrics.put("mae", Metrics::mae);
        metrics.put("rmse", Metrics::rmse);
        metrics.put("smape", Metrics::smape);
        metrics.put("mape", Metrics::mape);
        metrics.put("mase", Metrics::mase);
        metrics.put("wql", Metrics::wql);
        for (Map.Entry<String, ToDoubleFunction<Metrics>> e : metrics.entrySet()) {
            columns.add(new DoubleColumn(e.getKey(), scores.stream().mapToDouble(s -> e.getValue().applyAsDouble(s.metrics())).toArray()));
        }
        return new Frame("per-window metrics", columns);
    }
}
