package dev.tempora.cli;

import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A live one-line progress bar on a terminal (redrawn with a carriage return at most 5 times a
 * second), and plain per-epoch lines otherwise.
 */
final class ProgressBar implements TrainingListener {

    private final PrintStream out;
    private final boolean live;
    private int epochs;
    private long lastDraw;
    private double lastValidation = Double.NaN;

    ProgressBar(PrintStream out, int epochs) {
        this.out = out;
        this.epochs = epochs;
        this.live = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    int expectedEpochs() {
        return epochs;
    }

    /** Changes the expected number of epochs (a time budget revises it as the speed becomes known). */
    void expectEpochs(int epochs) {
        this.epochs = epochs;
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
        out.printf(Locale.ROOT, "\repoch %d/%d [%s] %d/%d  loss %.4f  val_loss %s  %.0f samples/s  ETA %s   ",
                epoch + 1, epochs, bar, batch + 1, batches, loss,
                Double.isNaN(lastValidation) ? "-" : String.format(Locale.ROOT, "%.4f", lastValidation),
                samplesPerSecond, duration(etaSeconds));
        out.flush();
    }

    @Override
    public void onEpoch(EpochResult r) {
        lastValidation = r.validationLoss();
        if (live) {
            out.print("\r" + " ".repeat(110) + "\r");
        }
        out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  val_loss %.4f%s  lr %.3g  %.0f samples/s  %.1fs  ETA %s%n",
                r.epoch() + 1, epochs, r.trainLoss(), r.validationLoss(), r.improved() ? " *" : "  ",
                r.learningRate(), r.samplesPerSecond(), r.seconds(), duration(r.etaSeconds()));
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
