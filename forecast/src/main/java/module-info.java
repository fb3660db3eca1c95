/**
 * The library API: from a table to a trained model, forecasts, evaluations, interpretation and plots
 * ({@code dev.tempora.forecast.plots}, PNG files drawn with JFreeChart). The one module a Java user requires.
 */
// "requires-automatic": JFreeChart ships no module descriptor, only the name org.jfree.jfreechart in its manifest.
@SuppressWarnings("requires-automatic")
module dev.tempora.forecast {
    requires transitive dev.tempora.data;
    requires transitive dev.tempora.parallel;
    requires org.jfree.jfreechart;
    requires java.desktop;

    exports dev.tempora.forecast;
    exports dev.tempora.forecast.plots;
}
