package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Google's Temporal Fusion Transformer exactly as PyTorch Forecasting builds it: same sub-modules,
 * parameter names and counts, initialisation, masks and output de-normalisation.
 *
 * <p>Flow: embeddings and per-real prescalers → static, encoder and decoder variable selection →
 * four static context GRNs (selection, LSTM h0, LSTM c0, enrichment) → LSTM encoder and decoder
 * started from the static context → shared post-LSTM gate/add/norm → static enrichment →
 * interpretable multi-head attention (decoder queries, causal) → post-attention gate/add/norm →
 * position-wise GRN → pre-output gate/add/norm → Linear(H, quantiles) → y·scale + center and the
 * normaliser's inverse transformation.
 */
public final class TemporalFusionTransformer extends Module implements ForecastingModel {

    /** The model's {@linkplain ForecastingModel#kind() kind}: PyTorch Forecasting's class name. */
    public static final String KIND = "TemporalFusionTransformer";

    /** The hyper-parameters and variable layout the model was built from. */
    public final TftConfig config;
    private final QuantileLoss loss;
    private final Map<String, Embedding> embeddings = new LinkedHashMap<>();
    private final Map<String, Linear> prescalers = new LinkedHashMap<>();
    private final VariableSelectionNetwork staticVariableSelection;
    private final VariableSelectionNetwork encoderVariableSelection;
    private final VariableSelectionNetwork decoderVariableSelection;
    private final GatedResidualNetwork staticContextVariableSelection;
    private final GatedResidualNetwork staticContextInitialHiddenLstm;
    private final GatedResidualNetwork staticContextInitialCellLstm;
    private final GatedResidualNetwork staticContextEnrichment;
    private final Lstm lstmEncoder;
    private final Lstm lstmDecoder;
    private final GatedLinearUnit postLstmGate;
    private final AddNorm postLstmAddNorm;
    private final GatedResidualNetwork staticEnrichment;
    private final InterpretableMultiHeadAttention multiheadAttn;
    private final GateAddNorm postAttnGateNorm;
    private final GatedResidualNetwork posWiseFf;
    private final GateAddNorm preOutputGateNorm;
    private final Linear outputLayer;

    /**
     * A freshly initialised model, drawing its initial weights from {@code config.seed()}.
     *
     * @param config the hyper-parameters and variable layout
     */
    public TemporalFusionTransformer(TftConfig config) {
        this.config = config;
        this.loss = new QuantileLoss(config.quantiles());
        RandomGenerator rng = Tensor.generator(config.seed());
        int h = config.hiddenSize();
        float p = config.dropout();

        // input_embeddings.embeddings.<variable>: one table per categorical variable (a group's
        // columns share one table and their vectors are summed, as PTF's EmbeddingBag).
        Module inputEmbeddings = module("input_embeddings", new Container());
        ModuleDict<Embedding> tables = ((Container) inputEmbeddings).add("embeddings", new ModuleDict<>());
        for (String v : config.categoricalVariables()) {
            embeddings.put(v, tables.put(v, new Embedding(config.categoricalCardinalities().get(v), config.embeddingSize(v), rng)));
        }
        ModuleDict<Linear> prescalerDict = module("prescalers", new ModuleDict<>());
        for (String r : config.realVariables()) {
            prescalers.put(r, prescalerDict.put(r, new Linear(1, config.hiddenContinuousSize(r), true, rng)));
        }
        Set<String> embedded = embeddings.keySet();
        staticVariableSelection = module("static_variable_selection", new VariableSelectionNetwork(
                inputSizes(config.staticCategoricals(), config.staticReals()), h, embedded, p, 0, prescalers, rng));
        encoderVariableSelection = module("encoder_variable_selection", new VariableSelectionNetwork(
                inputSizes(config.timeVaryingCategoricalsEncoder(), config.timeVaryingRealsEncoder()), h, embedded, p, h,
                prescalers, rng));
        decoderVariableSelection = module("decoder_variable_selection", new VariableSelectionNetwork(
                inputSizes(config.timeVaryingCategoricalsDecoder(), config.timeVaryingRealsDecoder()), h, embedded, p, h,
                prescalers, rng));
        staticContextVariableSelection = module("static_context_variable_selection", new GatedResidualNetwork(h, h, h, p, 0, rng));
        staticContextInitialHiddenLstm = module("static_context_initial_hidden_lstm", new GatedResidualNetwork(h, h, h, p, 0, rng));
        staticContextInitialCellLstm = module("static_context_initial_cell_lstm", new GatedResidualNetwork(h, h, h, p, 0, rng));
        staticContextEnrichment = module("static_context_enrichment", new GatedResidualNetwork(h, h, h, p, 0, rng));
        lstmEncoder = module("lstm_encoder", new Lstm(h, h, config.lstmLayers(), p, rng));
        lstmDecoder = module("lstm_decoder", new Lstm(h, h, config.lstmLayers(), p, rng));
        // PTF shares one gate and one add-norm between the encoder and decoder outputs.
        postLstmGate = module("post_lstm_gate_encoder", new GatedLinearUnit(h, h, p, rng));
        module("post_lstm_gate_decoder", postLstmGate);
        postLstmAddNorm = module("post_lstm_add_norm_encoder", new AddNorm(h, h, false));
        module("post_lstm_add_norm_decoder", postLstmAddNorm);
        staticEnrichment = module("static_enrichment", new GatedResidualNetwork(h, h, h, p, h, rng));
        multiheadAttn = module("multihead_attn", new InterpretableMultiHeadAttention(config.attentionHeadSize(), h, p, rng));
        postAttnGateNorm = module("post_attn_gate_norm", new GateAddNorm(h, h, h, false, p, rng));
        posWiseFf = module("pos_wise_ff", new GatedResidualNetwork(h, h, h, p, 0, rng));
        preOutputGateNorm = module("pre_output_gate_norm", new GateAddNorm(h, h, h, false, -1f, rng));
        outputLayer = module("output_layer", new Linear(h, config.outputSize(), true, rng));
    }

    private Map<String, Integer> inputSizes(List<String> categoricals, List<String> reals) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String c : categoricals) {
            sizes.put(c, config.embeddingSize(c));
        }
        for (String r : reals) {
            sizes.put(r, config.hiddenContinuousSize(r));
        }
        return sizes;
    }

    /** {@value #KIND}. */
    @Override
    public String kind() {
        return KIND;
    }

    /** The config's quantiles. */
    @Override
    public List<Float> quantiles() {
        return config.quantiles();
    }

    /**
     * Runs the model on a batch.
     *
     * @param batch     the batch's inputs, with the config's categorical and real columns
     * @param interpret whether to also return attention weights (computing them costs memory)
     * @return the prediction with the attention and variable-selection weights
     */
    @Override
    public TftOutput forward(ModelInputs batch, boolean interpret) {
        int b = batch.batchSize();
        int te = batch.encoderSteps();
        int td = batch.decoderSteps();
        int steps = te + td;
        Tensor cat = Tensor.concat(1, batch.encoderCat(), batch.decoderCat());     // (B, T, columns)
        Tensor cont = Tensor.concat(1, batch.encoderCont(), batch.decoderCont());  // (B, T, reals)
        checkColumns(cat, config.xCategoricals().size(), "categorical");
        checkColumns(cont, config.xReals().size(), "real");

        Map<String, Variable> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Embedding> e : embeddings.entrySet()) {
            // A static variable is read at the first step only (below), so only that step is looked up.
            boolean staticOnly = isStaticOnly(e.getKey());
            Variable sum = null;
            for (String column : config.columnsOf(e.getKey())) {
                Tensor ids = cat.select(2, config.xCategoricals().indexOf(column));
                Variable looked = e.getValue().forward(staticOnly ? ids.narrow(1, 0, 1) : ids);
                sum = sum == null ? looked : sum.add(looked);
            }
            inputs.put(e.getKey(), sum);
        }
        for (String r : prescalers.keySet()) {
            int column = config.xReals().indexOf(r);
            inputs.put(r, Variable.constant(cont.narrow(2, column, 1)));
        }

        // Static variables are read at the first time step.
        Variable staticEmbedding;
        Variable staticWeights;
        if (staticVariableSelection.names.isEmpty()) {
            staticEmbedding = Variable.constant(Tensor.zeros(b, config.hiddenSize()));
            staticWeights = Variable.constant(Tensor.zeros(b, 0));
        } else {
            VariableSelectionNetwork.Output s = staticVariableSelection.forward(slice(inputs, staticVariableSelection.names, 0, 1, true), null);
            staticEmbedding = s.output();
            staticWeights = s.weights();
        }
        Variable contextSelection = staticContextVariableSelection.forward(staticEmbedding).unsqueeze(1); // (B, 1, H)
        VariableSelectionNetwork.Output enc = encoderVariableSelection.forward(
                slice(inputs, encoderVariableSelection.names, 0, te, false), contextSelection);
        VariableSelectionNetwork.Output dec = decoderVariableSelection.forward(
                slice(inputs, decoderVariableSelection.names, te, td, false), contextSelection);

        int layers = config.lstmLayers();
        Variable h0 = staticContextInitialHiddenLstm.forward(staticEmbedding);
        Variable c0 = staticContextInitialCellLstm.forward(staticEmbedding);
        Variable[] hInit = new Variable[layers];
        Variable[] cInit = new Variable[layers];
        java.util.Arrays.fill(hInit, h0);
        java.util.Arrays.fill(cInit, c0);
        Lstm.Output encoderOut = lstmEncoder.forward(enc.output(), hInit, cInit, batch.encoderLengths());
        Lstm.Output decoderOut = lstmDecoder.forward(dec.output(), encoderOut.hidden(), encoderOut.cell(),
                batch.decoderLengths());

        Variable gateBias = postLstmGate.fc().bias;
        Variable lstmEncoderOut = postLstmAddNorm.forwardGated(postLstmGate.gateProduct(encoderOut.output()), gateBias,
                enc.output());
        Variable lstmDecoderOut = postLstmAddNorm.forwardGated(postLstmGate.gateProduct(decoderOut.output()), gateBias,
                dec.output());
        Variable lstmOut = Variable.concat(1, lstmEncoderOut, lstmDecoderOut);

        Variable enrichmentContext = staticContextEnrichment.forward(staticEmbedding).unsqueeze(1);
        Variable attnInput = staticEnrichment.forward(lstmOut, enrichmentContext);
        Variable decoderAttnInput = attnInput.narrow(1, te, td);
        InterpretableMultiHeadAttention.Output attn = multiheadAttn.forward(decoderAttnInput, attnInput, attnInput,
                batch.encoderLengths(), batch.decoderLengths(), config.causalAttention(), interpret);
        Variable out = postAttnGateNorm.forward(attn.output(), decoderAttnInput);
        out = posWiseFf.forward(out);
        out = preOutputGateNorm.forward(out, lstmDecoderOut);
        out = outputLayer.forward(out);                                            // (B, Td, quantiles)

        Variable prediction = TargetDenormalisation.denormalise(out, batch.targetScale(), config.outputTransformation());
        return new TftOutput(prediction, attn.weights(), te, staticWeights, enc.weights(), dec.weights());
    }

    /** PyTorch Forecasting's {@link QuantileLoss} over the config's quantiles. */
    @Override
    public Variable loss(Variable prediction, Tensor target, Tensor weight, int[] decoderLengths, long validSteps) {
        return loss.forward(prediction, target, weight, decoderLengths, validSteps);
    }

    /** The config's JSON ({@link TftConfig#toJson}), which {@link TftConfig#fromJson} reads back. */
    @Override
    public Map<String, Object> configJson() {
        return config.toJson();
    }

    /** Whether a categorical variable is static and not also time-varying. */
    private boolean isStaticOnly(String variable) {
        return config.staticCategoricals().contains(variable)
                && !config.timeVaryingCategoricalsEncoder().contains(variable)
                && !config.timeVaryingCategoricalsDecoder().contains(variable);
    }

    /** The named inputs restricted to time steps [start, start+length); static ones squeezed to (B, size). */
    private static Map<String, Variable> slice(Map<String, Variable> inputs, List<String> names, int start, int length,
                                               boolean squeeze) {
        Map<String, Variable> out = new LinkedHashMap<>();
        for (String n : names) {
            Variable v = inputs.get(n);
            out.put(n, squeeze ? v.select(1, start) : v.narrow(1, start, length));
        }
        return out;
    }

    private static void checkColumns(Tensor t, int expected, String kind) {
        if (t.size(2) != expected) {
            throw new IllegalArgumentException("the batch has " + t.size(2) + " " + kind + " columns, the model expects "
                    + expected);
        }
    }

    @Override
    protected String describe() {
        return "TemporalFusionTransformer(hidden " + config.hiddenSize() + ", heads " + config.attentionHeadSize()
                + ", hidden_continuous " + config.hiddenContinuousSize() + ", " + config.outputSize() + " quantiles)";
    }

    /** A plain named container (PTF's MultiEmbedding holds its tables under {@code embeddings}). */
    private static final class Container extends Module {
        <M extends Module> M add(String name, M m) {
            return module(name, m);
        }

        @Override
        protected String describe() {
            return "MultiEmbedding";
        }
    }
}
