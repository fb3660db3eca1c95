/**
 * The {@code tempora} command-line tool: demo, train, predict, evaluate, inspect, summary, info and bench, with
 * PNG plots of forecasts and variable importances.
 */
// "requires-automatic": JFreeChart ships no module descriptor, only the name org.jfree.jfreechart in its manifest.
@SuppressWarnings("requires-automatic")
module dev.tempora.cli {
    requires dev.tempora.parallel;
    requires dev.tempora.data;
    requires dev.tempora.bench;
    requires info.picocli;
    requires org.jfree.jfreechart;
    requires java.desktop;

    // picocli reads and sets the annotated option fields of the commands reflectively.
    opens dev.tempora.cli to info.picocli;
}
