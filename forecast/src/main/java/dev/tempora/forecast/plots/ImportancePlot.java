package dev.tempora.forecast.plots;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The TFT's interpretation as PyTorch Forecasting's {@code plot_interpretation} draws it: the mean
 * attention by position before the forecast, and the static, encoder and decoder variables'
 * importance (mean selection weights, in percent), each as horizontal bars sorted by importance.
 */
public final class ImportancePlot {

    private ImportancePlot() {}

    /**
     * Draws the panels, two to a row, and writes them as one PNG, atomically.
     *
     * @param staticVariables  static variables' importance in percent, by name (empty: no panel)
     * @param encoderVariables encoder variables' importance in percent, by name
     * @param decoderVariables decoder variables' importance in percent, by name
     * @param attention        mean attention at each history position, oldest first (the last is the step
     *                         just before the forecast); may be null
     * @param png              the file to write
     */
    public static void write(Map<String, Double> staticVariables, Map<String, Double> encoderVariables,
                             Map<String, Double> decoderVariables, double[] attention, Path png) {
        List<JFreeChart> panels = new ArrayList<>();
        if (attention != null) {
            panels.add(attentionChart(attention));
        }
        if (!staticVariables.isEmpty()) {
            panels.add(barChart("Static variables", staticVariables));
        }
        panels.add(barChart("Encoder variables", encoderVariables));
        panels.add(barChart("Decoder variables", decoderVariables));
        int columns = 2;
        int rows = (panels.size() + 1) / 2;
        int width = 640;
        int height = 420;
        BufferedImage image = Png.canvas(columns * width, rows * height);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < panels.size(); i++) {
            panels.get(i).draw(g, new Rectangle2D.Double(i % columns * width, i / columns * height, width, height));
        }
        g.dispose();
        Png.write(image, png);
    }

    private static JFreeChart barChart(String title, Map<String, Double> importance) {
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(importance.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, Double> e : sorted) {
            data.addValue(e.getValue(), "importance", e.getKey());
        }
        CategoryAxis names = new CategoryAxis();
        names.setTickLabelFont(Png.LABEL);
        names.setMaximumCategoryLabelWidthRatio(0.45f);
        NumberAxis percent = new NumberAxis("importance in %");
        percent.setLabelFont(Png.LABEL);
        percent.setTickLabelFont(Png.TICK);
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, Png.OBSERVED);
        bars.setMaximumBarWidth(0.12);
        CategoryPlot plot = new CategoryPlot(data, names, percent, bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Png.GRID);
        plot.setOutlineVisible(false);
        JFreeChart chart = new JFreeChart(title, Png.TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static JFreeChart attentionChart(double[] attention) {
        XYSeries line = new XYSeries("attention");
        for (int i = 0; i < attention.length; i++) {
            line.add(i - attention.length, attention[i]);
        }
        NumberAxis time = new NumberAxis("time steps before the forecast");
        time.setLabelFont(Png.LABEL);
        time.setTickLabelFont(Png.TICK);
        NumberAxis value = new NumberAxis("attention");
        value.setLabelFont(Png.LABEL);
        value.setTickLabelFont(Png.TICK);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, Png.OBSERVED);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(line), time, value, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Png.GRID);
        plot.setRangeGridlinePaint(Png.GRID);
        plot.setOutlineVisible(false);
        JFreeChart chart = new JFreeChart("Attention (mean over the validation windows)", Png.TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
