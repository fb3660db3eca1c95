/**
 * Tabular data for forecasting: Parquet and CSV loading into a column {@link dev.tempora.data.Frame}, the
 * windowed {@link dev.tempora.data.TimeSeriesDataSet} of PyTorch Forecasting, its encoders and normalisers,
 * batches of tensors, and the demo data set.
 *
 * <p>No third-party module is required here. Parquet-MR's jars split packages among themselves
 * ({@code org.apache.parquet.io} is in both parquet-common and parquet-column, for one), so they cannot be
 * modules, not even automatic ones: they stay on the class path, with this module's other dependencies
 * (Commons CSV, aircompressor), and this module reads the class path instead. On the module path, run with
 * {@code --add-reads dev.tempora.data=ALL-UNNAMED} and those jars on the class path.
 */
module dev.tempora.data {
    requires transitive dev.tempora.tensor;

    exports dev.tempora.data;
}
