/**
 * The {@code tempora} command-line tool (demo, train, predict, evaluate, interpret, plot, inspect, summary, info,
 * bench), built on the {@code dev.tempora.forecast} library API.
 */
module dev.tempora.cli {
    requires dev.tempora.forecast;
    requires dev.tempora.bench;
    requires info.picocli;

    // picocli reads and sets the annotated option fields of the commands reflectively.
    opens dev.tempora.cli to info.picocli;
}
