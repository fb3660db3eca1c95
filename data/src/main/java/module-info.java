/**
 * Tabular data for forecasting: Parquet and CSV loading into a column {@link dev.tempora.data.Frame}, the
 * windowed {@link dev.tempora.data.TimeSeriesDataSet} of PyTorch Forecasting, its encoders and normalisers,
 * batches of tensors, and the demo data set.
 *
 * <p>Parquet-MR is not required here: its jars split packages among themselves ({@code org.apache.parquet.io}
 * is in both parquet-common and parquet-column, for one), so they cannot be modules, not even automatic ones.
 * They stay on the class path, and this module reads the class path instead: on the module path, run with
 * {@code --add-reads dev.tempora.data=ALL-UNNAMED} and Parquet-MR's jars on the class path.
 */
module dev.tempora.data {
    requires transitive dev.tempora.tensor;

    exports dev.tempora.data;
}
