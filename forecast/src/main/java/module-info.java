/**
 * The library API, PyTorch Forecasting's workflow in Java: from a table to a trained model
 * ({@link dev.tempora.forecast.TrainingJob}), forecasts, evaluations and backtests against baselines
 * ({@link dev.tempora.forecast.TrainedModel}, {@link dev.tempora.forecast.Evaluation}), the TFT's
 * interpretation, and PNG plots of both ({@link dev.tempora.forecast.plots.ForecastPlots}).
 *
 * <p>Parquet-MR stays on the class path, as for {@code dev.tempora.data}: on the module path, run with
 * {@code --add-reads dev.tempora.data=ALL-UNNAMED} and Parquet-MR's jars on the class path.
 */
// "requires-automatic": JFreeChart ships no module descriptor, only the name org.jfree.jfreechart in its manifest.
@SuppressWarnings("requires-automatic")
module dev.tempora.forecast {
    // The API takes and returns the data module's tables and data sets, the models' and the trainer's types.
    requires transitive dev.tempora.data;
    requires transitive dev.tempora.parallel;
    // Plots only: no JFreeChart or AWT type appears in the API.
    requires org.jfree.jfreechart;
    requires java.desktop;

    exports dev.tempora.forecast;
    exports dev.tempora.forecast.plots;
}
