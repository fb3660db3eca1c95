package dev.tempora.forecast.plots;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * One series' forecast as PyTorch Forecasting's {@code plot_prediction} draws it for a TFT: the
 * observed values (history and actuals) in one colour, the median forecast in another with the
 * quantile bands around it (the outermost pair lightest, each inner pair adding shade), and on a
 * secondary axis the attention the first forecast step paid to each history step.
 */
public final class ForecastPlot {

    /**
     * What one forecast plot shows.
     *
     * @param title      the chart's title
     * @param subtitle   a line under the title (null for none)
     * @param valueLabel the value axis' label
     * @param x          the time of every step, history then forecast: epoch milliseconds when
     *                   {@code dates}, else the time index
     * @param dates      whether {@code x} holds epoch milliseconds (a date axis in UTC) or time indices
     * @param history    observed values before the forecast (the encoder), oldest first
     * @param actual     observed values over the forecast horizon (NaN where unknown)
     * @param levels     the quantile levels, ascending; the one closest to 0.5 is drawn as the median line
     * @param quantiles  [quantile][step] forecasts over the horizon, quantiles ascending
     * @param attention  attention over the history steps (may be null)
     */
    public record Data(String title, String subtitle, String valueLabel, double[] x, boolean dates, double[] history,
                       double[] actual, List<Float> levels, double[][] quantiles, double[] attention) {}

    private ForecastPlot() {}

    /**
     * Draws the plot and writes it as a PNG, atomically.
     *
     * @param d      what to draw
     * @param png    the file to write
     * @param width  the image's width in pixels
     * @param height the image's height in pixels
     * @throws IllegalArgumentException when {@code d.x()} does not hold one time per history and forecast step
     */
    public static void write(Data d, Path png, int width, int height) {
        int enc = d.history().length;
        int dec = d.actual().length;
        if (d.x().length != enc + dec) {
            throw new IllegalArgumentException("plot: " + d.x().length + " time values for " + enc + " history and " + dec
                    + " forecast steps");
        }
        XYSeries observed = new XYSeries("observed");
        for (int i = 0; i < enc; i++) {
            observed.add(d.x()[i], d.history()[i]);
        }
        for (int i = 0; i < dec; i++) {
            if (!Double.isNaN(d.actual()[i])) {
                observed.add(d.x()[enc + i], d.actual()[i]);
            }
        }
        int nq = d.levels().size();
        int median = 0;
        for (int q = 1; q < nq; q++) {
            if (Math.abs(d.levels().get(q) - 0.5f) < Math.abs(d.levels().get(median) - 0.5f)) {
                median = q;
            }
        }
        // Bands: pairs (q_i, q_{n-1-i}) from the outside in, drawn over each other with the same alpha.
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        for (int i = 0; i < nq / 2; i++) {
            YIntervalSeries band = new YIntervalSeries("band " + i);
            for (int t = 0; t < dec; t++) {
                band.add(d.x()[enc + t], d.quantiles()[median][t], d.quantiles()[i][t], d.quantiles()[nq - 1 - i][t]);
            }
            bands.addSeries(band);
        }
        DeviationRenderer bandRenderer = new DeviationRenderer(false, false);
        bandRenderer.setAlpha(0.18f);
        for (int i = 0; i < nq / 2; i++) {
            bandRenderer.setSeriesFillPaint(i, Png.PREDICTED);
            bandRenderer.setSeriesPaint(i, Png.PREDICTED);
        }
        XYSeries predicted = new XYSeries("predicted");
        for (int t = 0; t < dec; t++) {
            predicted.add(d.x()[enc + t], d.quantiles()[median][t]);
        }
        XYSeriesCollection lines = new XYSeriesCollection();
        lines.addSeries(observed);
        lines.addSeries(predicted);
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        lineRenderer.setSeriesPaint(0, Png.OBSERVED);
        lineRenderer.setSeriesStroke(0, new BasicStroke(1.6f));
        lineRenderer.setSeriesPaint(1, Png.PREDICTED);
        lineRenderer.setSeriesStroke(1, new BasicStroke(2.0f));

        ValueAxis domain;
        if (d.dates()) {
            DateAxis axis = new DateAxis("time (UTC)");
            axis.setTimeZone(TimeZone.getTimeZone("UTC"));
            SimpleDateFormat format = new SimpleDateFormat("EEE d MMM", Locale.ENGLISH);
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            axis.setDateFormatOverride(format);
            domain = axis;
        } else {
            NumberAxis axis = new NumberAxis("time index");
            axis.setAutoRangeIncludesZero(false);
            domain = axis;
        }
        NumberAxis values = new NumberAxis(d.valueLabel());
        values.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(lines, domain, values, lineRenderer);
        plot.setDataset(1, bands);
        plot.setRenderer(1, bandRenderer);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE); // lines over the bands, attention underneath

        LegendItemCollection legend = new LegendItemCollection();
        legend.add(line("observed", Png.OBSERVED, 1.6f));
        legend.add(line("predicted (median)", Png.PREDICTED, 2.0f));
        legend.add(new LegendItem(String.format(Locale.ROOT, "quantiles %s to %s", percent(d.levels().get(0)),
                percent(d.levels().get(nq - 1))), null, null, null, new Rectangle2D.Double(-6, -5, 12, 10),
                new Color(Png.PREDICTED.getRed(), Png.PREDICTED.getGreen(), Png.PREDICTED.getBlue(), 90)));
        if (d.attention() != null) {
            XYSeries attention = new XYSeries("attention");
            for (int i = 0; i < enc; i++) {
                attention.add(d.x()[i], d.attention()[i]);
            }
            NumberAxis attentionAxis = new NumberAxis("attention");
            // keep the attention line in the lower third, below most of the observed values
            double peak = java.util.Arrays.stream(d.attention()).max().orElse(1);
            attentionAxis.setRange(0, peak > 0 ? 3 * peak : 1);
            attentionAxis.setLabelPaint(Color.GRAY);
            attentionAxis.setTickLabelPaint(Color.GRAY);
            plot.setRangeAxis(1, attentionAxis);
            plot.setDataset(2, new XYSeriesCollection(attention));
            plot.mapDatasetToRangeAxis(2, 1);
            XYLineAndShapeRenderer attentionRenderer = new XYLineAndShapeRenderer(true, false);
            Color gray = new Color(0, 0, 0, 90);
            attentionRenderer.setSeriesPaint(0, gray);
            attentionRenderer.setSeriesStroke(0, new BasicStroke(1.4f));
            plot.setRenderer(2, attentionRenderer);
            legend.add(line("attention (first forecast step)", gray, 1.4f));
        }
        plot.setFixedLegendItems(legend);
        ValueMarker start = new ValueMarker(d.x()[enc], Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        plot.addDomainMarker(start);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Png.GRID);
        plot.setRangeGridlinePaint(Png.GRID);
        plot.setOutlineVisible(false);
        for (ValueAxis a : new ValueAxis[] {domain, values, plot.getRangeAxis(1)}) {
            if (a != null) {
                a.setLabelFont(Png.LABEL);
                a.setTickLabelFont(Png.TICK);
            }
        }
        JFreeChart chart = new JFreeChart(d.title(), Png.TITLE, plot, true);
        if (d.subtitle() != null) {
            TextTitle subtitle = new TextTitle(d.subtitle(), Png.LABEL);
            subtitle.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(subtitle);
        }
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(Png.LABEL);
        chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
        BufferedImage image = Png.canvas(width, height);
        Graphics2D g = image.createGraphics();
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        g.dispose();
        Png.write(image, png);
    }

    private static LegendItem line(String label, Color color, float width) {
        return new LegendItem(label, null, null, null, new Line2D.Double(-8, 0, 8, 0), new BasicStroke(width), color);
    }

    private static String percent(float q) {
        return String.format(Locale.ROOT, "%.0f%%", q * 100);
    }
}
