package dev.tempora.forecast.plots;

import dev.tempora.tensor.io.AtomicFiles;
import org.jfree.chart.ChartUtils;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/** PNG output without a display: AWT runs headless, images are written atomically. */
final class Png {

    static {
        // Must be set before AWT initialises; plots are always drawn off-screen.
        System.setProperty("java.awt.headless", "true");
    }

    /** Colours of matplotlib's default cycle, which PTF's plots use: observed C0, predicted C1. */
    static final Color OBSERVED = new Color(0x1f, 0x77, 0xb4);
    static final Color PREDICTED = new Color(0xff, 0x7f, 0x0e);
    static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private Png() {}

    static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static void write(BufferedImage image, Path path) {
        AtomicFiles.write(path, out -> ChartUtils.writeBufferedImageAsPNG(out, image));
    }
}
