package dev.tempora.parallel;

import dev.tempora.models.ModelInputs;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A small seasonal multi-series problem with ragged windows, as a deterministic TrainingData. */
public final class SyntheticData implements TrainingData {

    static final int ZONES = 6;
    static final int PERIOD = 6;
    private final int batches;
    private final int batchSize;
    private final int te;
    private final int td;
    private final float nanAtBatch;
    private final long salt;

    /** {@code batches} batches of {@code batchSize} windows of up to {@code te} encoder and {@code td} decoder steps. */
    public SyntheticData(int batches, int batchSize, int te, int td) {
        this(batches, batchSize, te, td, -1, 0);
    }

    /** @param nanAtBatch index of a training batch whose targets are NaN (or −1) */
    SyntheticData(int batches, int batchSize, int te, int td, int nanAtBatch) {
        this(batches, batchSize, te, td, nanAtBatch, 0);
    }

    private SyntheticData(int batches, int batchSize, int te, int td, int nanAtBatch, long salt) {
        this.batches = batches;
        this.batchSize = batchSize;
        this.te = te;
        this.td = td;
        this.nanAtBatch = nanAtBatch;
        this.salt = salt;
    }

    /** Other windows of the same problem (a partition of a larger data set): salt 0 is this data. */
    public SyntheticData withSalt(long salt) {
        return new SyntheticData(batches, batchSize, te, td, (int) nanAtBatch, salt);
    }

    /** The small TFT these tests train, with {@code dropout}. */
    public static TftConfig config(float dropout) {
        return new TftConfig(8, 2, dropout, 3, Map.of(), 1, TftConfig.DEFAULT_QUANTILES,
                List.of("zone"), List.of("target_center", "target_scale"),
                List.of("phase"), List.of("phase"),
                List.of("time_idx", "target"), List.of("time_idx"),
                List.of("zone", "phase"), List.of("target_center", "target_scale", "time_idx", "target"),
                Map.of("zone", ZONES, "phase", PERIOD), Map.of(), Map.of(), true, "none", 3);
    }

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    @Override
    public TrainingBatch trainingBatch(int epoch, int index) {
        return make(new SplittableRandom(salt * 1_000_003L + epoch * 1000L + index), batchSize, true, index == nanAtBatch);
    }

    @Override
    public List<TrainingBatch> validationBatches() {
        List<TrainingBatch> out = new ArrayList<>();
        out.add(make(new SplittableRandom(-1 - salt * 1_000_003L), 10, false, false));
        return out;
    }

    private TrainingBatch make(SplittableRandom rng, int n, boolean ragged, boolean nan) {
        float[] ec = new float[n * te * 2];
        float[] dc = new float[n * td * 2];
        float[] econt = new float[n * te * 4];
        float[] dcont = new float[n * td * 4];
        float[] scale = new float[n * 2];
        float[] target = new float[n * td];
        int[] el = new int[n];
        int[] dl = new int[n];
        for (int i = 0; i < n; i++) {
            int zone = rng.nextInt(ZONES);
            int start = rng.nextInt(300);
            float level = 2f + zone;
            el[i] = ragged ? 2 + rng.nextInt(te - 1) : te;
            dl[i] = ragged ? 1 + rng.nextInt(td) : td;
            scale[i * 2 + 1] = level;
            for (int t = 0; t < te + td; t++) {
                int time = start + t;
                float y = level * (1f + 0.5f * (float) Math.sin(2 * Math.PI * time / PERIOD))
                        + 0.1f * (float) rng.nextGaussian();
                boolean enc = t < te;
                int row = enc ? i * te + t : i * td + t - te;
                float[] cat = enc ? ec : dc;
                float[] cont = enc ? econt : dcont;
                cat[row * 2] = zone;
                cat[row * 2 + 1] = time % PERIOD;
                cont[row * 4 + 1] = (level - 4.5f) / 1.7f;
                cont[row * 4 + 2] = time / 100f;
                cont[row * 4 + 3] = enc ? y / level : 0f;
                if (!enc) {
                    target[i * td + t - te] = nan ? Float.NaN : y;
                }
            }
        }
        ModelInputs b = new ModelInputs(Tensor.wrap(ec, n, te, 2), Tensor.wrap(econt, n, te, 4), Tensor.wrap(dc, n, td, 2),
                Tensor.wrap(dcont, n, td, 4), el, dl, Tensor.wrap(scale, n, 2));
        return new TrainingBatch(b, Tensor.wrap(target, n, td));
    }
}
