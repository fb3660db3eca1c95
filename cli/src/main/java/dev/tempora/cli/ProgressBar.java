package dev.tempora.cli;

import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A live one-line progress bar on a terminal (redrawn with a carriage return at most 5 times a
 * second), and plain per-epoch lines otherwise. Epochs count against the run's cap ({@code --epochs},
 * max_epochs), which stays put; a time budget's estimate of the epochs that fit is shown beside it
 * ({@code epoch 3/100 (budget: about 12)}). The time left leaves out the warm-up epoch (see
 * {@link TrainingListener#onBatch}); until it is known the bar says when it will be.
 */
final class ProgressBar implements TrainingListener {

    private final PrintStream out;
    private final boolean live;
    private int epochs;
    private int budgetEpochs;
    private long lastDraw;
    private double lastValidation = Double.NaN;

    ProgressBar(PrintStream out, int epochs) {
        this(out, epochs, System.console() != null && !"dumb".equals(System.getenv("TERM")));
    }

    /** With the live bar on or off (tests draw it into a buffer). */
    ProgressBar(PrintStream out, int epochs, boolean live) {
        this.out = out;
        this.epochs = epochs;
        this.live = live;
    }

    /** {@return the epoch cap shown as the total} */
    int expectedEpochs() {
        return epochs;
    }

    /** Sets the epoch cap shown as the total (max_epochs, once the config is read). */
    void expectEpochs(int epochs) {
        this.epochs = epochs;
    }

    /** {@return the time budget's estimate of the epochs that fit, 0 when there is none} */
    int budgetEpochs() {
        return budgetEpochs;
    }

    /** Sets a time budget's estimate of the epochs that fit, shown beside the cap; 0 shows none. */
    void expectBudgetEpochs(int epochs) {
        this.budgetEpochs = epochs;
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss, double samplesPerSecond, double etaSeconds) {
        long now = System.nanoTime();
        if (!live || (now - lastDraw < 200_000_000L && batch + 1 < batches)) {
            return;
        }
        lastDraw = now;
        int width = 24;
        int filled = (int) ((long) width * (batch + 1) / batches);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        out.printf(Locale.ROOT, "\r%s [%s] %d/%d  loss %.4f  val_loss %s  %.0f samples/s  %s   ",
                epochLabel(epoch), bar, batch + 1, batches, loss,
                Double.isNaN(lastValidation) ? "-" : String.format(Locale.ROOT, "%.4f", lastValidation),
                samplesPerSecond, Double.isNaN(etaSeconds) ? "ETA after epoch " + (epoch + 1) : "ETA " + duration(etaSeconds));
        out.flush();
    }

    @Override
    public void onEpoch(EpochResult r) {
        lastValidation = r.validationLoss();
        if (live) {
            out.print("\r" + " ".repeat(120) + "\r");
        }
        String eta = Double.isNaN(r.etaSeconds())
                ? "ETA from epoch " + (r.epoch() + 2) + " (epoch " + (r.epoch() + 1) + " warms up; left out)"
                : "ETA " + duration(r.etaSeconds());
        out.printf(Locale.ROOT, "%s  loss %.4f  val_loss %.4f%s  lr %.3g  %.0f samples/s  %.1fs  %s%n",
                epochLabel(r.epoch()), r.trainLoss(), r.validationLoss(), r.improved() ? " *" : "  ",
                r.learningRate(), r.samplesPerSecond(), r.seconds(), eta);
    }

    /** "epoch 3/100", with the budget's estimate when there is one: "epoch 3/100 (budget: about 12)". */
    private String epochLabel(int epoch) {
        return "epoch " + (epoch + 1) + "/" + epochs + (budgetEpochs > 0 ? " (budget: about " + budgetEpochs + ")" : "");
    }

    @Override
    public void onWarning(String message) {
        out.println();
        System.err.println("warning: " + message);
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "-";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
