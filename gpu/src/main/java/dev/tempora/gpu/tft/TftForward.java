package dev.tempora.gpu.tft;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.autograd.AttentionOps;
import dev.tempora.gpu.autograd.DeviceVariable;
import dev.tempora.gpu.autograd.ElementwiseOps;
import dev.tempora.gpu.autograd.EmbeddingOps;
import dev.tempora.gpu.autograd.LinearOps;
import dev.tempora.gpu.autograd.LstmOps;
import dev.tempora.gpu.autograd.NormOps;
import dev.tempora.gpu.autograd.ShapeOps;
import dev.tempora.gpu.autograd.Tape;
import dev.tempora.models.TftConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One forward pass of the device TFT on a tape: {@code TemporalFusionTransformer.forward} and its layers
 * (VariableSelectionNetwork, GatedResidualNetwork, GateAddNorm, ResampleNorm, Lstm,
 * InterpretableMultiHeadAttention) op for op, reading the parameters by their state-dict names. Dropout
 * calls take the CPU's seed slots in the CPU's order, so training-mode masks match.
 */
final class TftForward {
    private static final float EPS = 1e-5f;

    private final DeviceTemporalFusionTransformer model;
    private final TftConfig config;
    private final Tape tape;
    private final DeviceTftBatch batch;
    private final int hidden;

    TftForward(DeviceTemporalFusionTransformer model, Tape tape, DeviceTftBatch batch) {
        this.model = model;
        this.config = model.config();
        this.tape = tape;
        this.batch = batch;
        this.hidden = config.hiddenSize();
        model.seeds().restart();
    }

    /** The de-normalised prediction (B, Td, quantiles). */
    DeviceVariable prediction() {
        int b = batch.batch;
        int te = batch.encoderSteps;
        int td = batch.decoderSteps;
        Map<String, DeviceVariable> staticInputs = inputs(config.staticCategoricals(), config.staticReals(), Part.STATIC);
        Map<String, DeviceVariable> encoderInputs = inputs(config.timeVaryingCategoricalsEncoder(),
                config.timeVaryingRealsEncoder(), Part.ENCODER);
        Map<String, DeviceVariable> decoderInputs = inputs(config.timeVaryingCategoricalsDecoder(),
                config.timeVaryingRealsDecoder(), Part.DECODER);

        DeviceVariable staticEmbedding = staticInputs.isEmpty()
                ? DeviceVariable.constant(tape.device().zeros(b, hidden))
                : select("static_variable_selection", staticInputs, null);
        DeviceVariable contextSelection = ShapeOps.reshape(tape,
                grn("static_context_variable_selection", staticEmbedding, null), b, 1, hidden);
        DeviceVariable enc = select("encoder_variable_selection", encoderInputs, contextSelection);
        DeviceVariable dec = select("decoder_variable_selection", decoderInputs, contextSelection);

        DeviceVariable h0 = grn("static_context_initial_hidden_lstm", staticEmbedding, null);
        DeviceVariable c0 = grn("static_context_initial_cell_lstm", staticEmbedding, null);
        LstmOps.Result[] encoder = lstm("lstm_encoder", enc, null, h0, c0, batch.encoderLengths);
        LstmOps.Result[] decoder = lstm("lstm_decoder", dec, encoder, null, null, batch.decoderLengths);
        DeviceVariable encoderOut = encoder[encoder.length - 1].output();
        DeviceVariable decoderOut = decoder[decoder.length - 1].output();

        // PTF shares one gate and one add-norm between the encoder and decoder outputs.
        DeviceVariable lstmEncoderOut = postLstm(encoderOut, enc);
        DeviceVariable lstmDecoderOut = postLstm(decoderOut, dec);
        DeviceVariable lstmOut = ShapeOps.concat(tape, 1, lstmEncoderOut, lstmDecoderOut);

        DeviceVariable enrichmentContext = ShapeOps.reshape(tape,
                grn("static_context_enrichment", staticEmbedding, null), b, 1, hidden);
        DeviceVariable attnInput = grn("static_enrichment", lstmOut, enrichmentContext);
        DeviceVariable decoderAttnInput = ShapeOps.narrow(tape, attnInput, 1, te, td);
        DeviceVariable attn = attention(decoderAttnInput, attnInput);
        DeviceVariable out = gateAddNorm("post_attn_gate_norm", attn, decoderAttnInput, true);
        out = grn("pos_wise_ff", out, null);
        out = gateAddNorm("pre_output_gate_norm", out, lstmDecoderOut, false);
        out = linear("output_layer", out);
        DeviceVariable y = ElementwiseOps.sampleAffine(tape, out, batch.targetScale);
        return DeviceTemporalFusionTransformer.untransform(tape, y, config.outputTransformation());
    }

    // ------------------------------------------------------------------ inputs

    /** Which steps an input covers: the first encoder step (static variables), the encoder or the decoder. */
    private enum Part { STATIC, ENCODER, DECODER }

    /**
     * The named inputs of one variable selection, in its order (categoricals, then reals): embeddings
     * (summed over a group's columns) and raw real columns (B, steps, 1), static ones squeezed to (B, size).
     */
    private Map<String, DeviceVariable> inputs(List<String> categoricals, List<String> reals, Part part) {
        int b = batch.batch;
        int steps = part == Part.STATIC ? 1 : part == Part.ENCODER ? batch.encoderSteps : batch.decoderSteps;
        DeviceTensor cat = part == Part.DECODER ? batch.decoderCat : batch.encoderCat;
        DeviceTensor cont = part == Part.DECODER ? batch.decoderCont : batch.encoderCont;
        int catColumns = config.xCategoricals().size();
        Map<String, DeviceVariable> out = new LinkedHashMap<>();
        for (String v : categoricals) {
            DeviceVariable table = model.p("input_embeddings.embeddings." + v + ".weight");
            DeviceVariable sum = null;
            for (String column : config.columnsOf(v)) {
                long ids = cat.address(config.xCategoricals().indexOf(column));
                DeviceVariable looked = EmbeddingOps.lookup(tape, table, ids, cat.size(1) * catColumns, catColumns, b,
                        steps);
                sum = sum == null ? looked : ElementwiseOps.add(tape, sum, looked);
            }
            out.put(v, part == Part.STATIC ? ShapeOps.reshape(tape, sum, b, table.size(1)) : sum);
        }
        DeviceVariable realSteps = DeviceVariable.constant(cont);
        if (part == Part.STATIC && !reals.isEmpty()) { // static reals are read at the first encoder step
            realSteps = ShapeOps.narrow(tape, realSteps, 1, 0, 1);
        }
        for (String r : reals) {
            DeviceVariable column = ShapeOps.narrow(tape, realSteps, 2, config.xReals().indexOf(r), 1);
            out.put(r, part == Part.STATIC ? ShapeOps.reshape(tape, column, b, 1) : column);
        }
        return out;
    }

    // ------------------------------------------------------------------ layers

    private DeviceVariable linear(String name, DeviceVariable x) {
        String bias = name + ".bias";
        return LinearOps.linear(tape, x, model.p(name + ".weight"), model.has(bias) ? model.p(bias) : null);
    }

    /** A Dropout layer: active on a training tape with p > 0, taking the next seed slot as the CPU's takes the next seed. */
    private DeviceVariable dropout(DeviceVariable x) {
        float p = model.dropout();
        if (!tape.isTraining() || p == 0f) {
            return x;
        }
        return ElementwiseOps.dropout(tape, x, p, model.seeds(), model.seeds().next());
    }

    /** PTF's GateAddNorm: [dropout] → Linear(in, 2h) → GLU, + skip, LayerNorm (the last three one op). */
    private DeviceVariable gateAddNorm(String name, DeviceVariable x, DeviceVariable skip, boolean withDropout) {
        DeviceVariable z = linear(name + ".glu.fc", withDropout ? dropout(x) : x);
        return NormOps.gateAddNorm(tape, z, skip, model.p(name + ".add_norm.norm.weight"),
                model.p(name + ".add_norm.norm.bias"), EPS);
    }

    /** PTF's ResampleNorm: interpolate the features to {@code out}, gate by 2σ(mask), LayerNorm. */
    private DeviceVariable resampleNorm(String name, DeviceVariable x, int out) {
        return resampleNorm(x, out, model.has(name + ".mask"), suffix -> model.p(name + suffix));
    }

    /**
     * A ResampleNorm whose parameters {@code parameter} gives by suffix ({@code .mask}, {@code .norm.weight},
     * {@code .norm.bias}): one layer's, or a group's stacked over the members' stacked x.
     */
    private DeviceVariable resampleNorm(DeviceVariable x, int out, boolean gated,
                                        Function<String, DeviceVariable> parameter) {
        int in = x.size(-1);
        if (in != out) {
            x = LinearOps.matmul(tape, x, model.interpolation(in, out));
        }
        if (gated) {
            x = ElementwiseOps.maskGate(tape, x, parameter.apply(".mask"));
        }
        return NormOps.layerNorm(tape, x, parameter.apply(".norm.weight"), parameter.apply(".norm.bias"), EPS);
    }

    /** PTF's GatedResidualNetwork: fc1(x) [+ context(c)] → ELU → fc2 → GateAddNorm with the (resampled) residual. */
    private DeviceVariable grn(String name, DeviceVariable x, DeviceVariable context) {
        int out = model.p(name + ".gate_norm.add_norm.norm.weight").numel();
        DeviceVariable residual = model.has(name + ".resample_norm.norm.weight")
                ? resampleNorm(name + ".resample_norm", x, out) : x;
        DeviceVariable h = linear(name + ".fc1", x);
        if (context != null) {
            h = ElementwiseOps.add(tape, h, linear(name + ".context", context));
        }
        h = linear(name + ".fc2", ElementwiseOps.elu(tape, h));
        return gateAddNorm(name + ".gate_norm", h, residual, true);
    }

    /**
     * PTF's VariableSelectionNetwork: each variable prescaled (reals) and transformed to the hidden size
     * (embeddings by a ResampleNorm, reals by a GRN); softmax weights from a GRN over all of them; the
     * weighted sum. The single-variable GRNs run in groups of equal shape ({@link #groupedGrn}), their dropout
     * slots taken in the variables' order first, as the CPU takes them one GRN after another.
     */
    private DeviceVariable select(String name, Map<String, DeviceVariable> inputs, DeviceVariable context) {
        Map<String, DeviceVariable> flat = new LinkedHashMap<>();
        Map<String, Integer> slots = new HashMap<>();
        for (Map.Entry<String, DeviceVariable> e : inputs.entrySet()) {
            DeviceVariable v = e.getValue();
            String prescaler = name + ".prescalers." + e.getKey();
            if (model.has(prescaler + ".weight")) {
                v = linear(prescaler, v);
            }
            flat.put(e.getKey(), v);
            if (model.has(name + ".single_variable_grns." + e.getKey() + ".fc1.weight")) {
                slots.put(e.getKey(), dropoutSlot());
            }
        }
        Map<String, DeviceVariable> byGrn = new HashMap<>();
        for (List<String> group : model.singleGrnGroups(name)) {
            DeviceVariable[] outs = groupedGrn(name + ".single_variable_grns.", group, flat, slots);
            for (int i = 0; i < outs.length; i++) {
                byGrn.put(group.get(i), outs[i]);
            }
        }
        List<DeviceVariable> transformed = new ArrayList<>();
        for (Map.Entry<String, DeviceVariable> e : flat.entrySet()) {
            DeviceVariable grn = byGrn.get(e.getKey());
            transformed.add(grn != null ? grn
                    : resampleNorm(name + ".single_variable_grns." + e.getKey(), e.getValue(), hidden));
        }
        if (transformed.size() == 1) {
            return transformed.get(0);
        }
        DeviceVariable weights = NormOps.softmax(tape, grn(name + ".flattened_grn",
                ShapeOps.concat(tape, -1, flat.values().toArray(DeviceVariable[]::new)), context));
        return NormOps.weightedSum(tape, transformed.toArray(DeviceVariable[]::new), weights);
    }

    /** The seed slot the next Dropout layer takes (as {@link #dropout}), or -1 where dropout is off. */
    private int dropoutSlot() {
        return tape.isTraining() && model.dropout() != 0f ? model.seeds().next() : -1;
    }

    /**
     * A group of equal-shape single-variable GRNs ({@link #grn} without context) as one: the members' inputs
     * stacked (members, ..., in), their parameters read as the stacked groups the layout made of them, every
     * layer a grouped op (one launch for all members), dropout with each member's own seed slot; the outputs
     * unstacked, in the group's order.
     */
    private DeviceVariable[] groupedGrn(String prefix, List<String> members, Map<String, DeviceVariable> inputs,
                                        Map<String, Integer> slots) {
        List<String> names = members.stream().map(v -> prefix + v).toList();
        String first = names.get(0);
        DeviceVariable x = ShapeOps.stack(tape, members.stream().map(inputs::get).toArray(DeviceVariable[]::new));
        int out = model.p(first + ".gate_norm.add_norm.norm.weight").numel();
        DeviceVariable residual = model.has(first + ".resample_norm.norm.weight")
                ? resampleNorm(x, out, model.has(first + ".resample_norm.mask"),
                        suffix -> stacked(names, ".resample_norm" + suffix))
                : x;
        DeviceVariable h = groupedLinear(names, ".fc1", x);
        h = groupedLinear(names, ".fc2", ElementwiseOps.elu(tape, h));
        int[] memberSlots = members.stream().mapToInt(slots::get).toArray();
        if (memberSlots[0] >= 0) {
            h = ElementwiseOps.dropoutMembers(tape, h, model.dropout(), model.seeds(), memberSlots);
        }
        DeviceVariable z = groupedLinear(names, ".gate_norm.glu.fc", h);
        DeviceVariable y = NormOps.gateAddNorm(tape, z, residual, stacked(names, ".gate_norm.add_norm.norm.weight"),
                stacked(names, ".gate_norm.add_norm.norm.bias"), EPS);
        return ShapeOps.unstack(tape, y);
    }

    /** The group's parameter {@code suffix} (e.g. {@code .fc1.weight}), its members' stacked. */
    private DeviceVariable stacked(List<String> names, String suffix) {
        return model.group(names.stream().map(n -> n + suffix).toList());
    }

    /** The group's linear layer {@code layer} over the stacked x. */
    private DeviceVariable groupedLinear(List<String> names, String layer, DeviceVariable x) {
        return LinearOps.groupedLinear(tape, x, stacked(names, layer + ".weight"),
                model.has(names.get(0) + layer + ".bias") ? stacked(names, layer + ".bias") : null);
    }

    /**
     * The model's LSTM layers (dropout between them) from the states of {@code previous} (the encoder's final
     * states, per layer) or, without it, from h0 and c0 for every layer.
     */
    private LstmOps.Result[] lstm(String name, DeviceVariable x, LstmOps.Result[] previous, DeviceVariable h0,
                                  DeviceVariable c0, DeviceTensor lengths) {
        int layers = config.lstmLayers();
        LstmOps.Result[] results = new LstmOps.Result[layers];
        DeviceVariable out = x;
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                out = dropout(out);
            }
            DeviceVariable h = previous == null ? h0 : previous[l].finalHidden();
            DeviceVariable c = previous == null ? c0 : previous[l].finalCell();
            results[l] = LstmOps.lstm(tape, out, h, c, model.p(name + ".weight_ih_l" + l),
                    model.p(name + ".weight_hh_l" + l), model.p(name + ".bias_ih_l" + l),
                    model.p(name + ".bias_hh_l" + l), lengths);
            out = results[l].output();
        }
        return results;
    }

    /** The shared post-LSTM gate and add-norm: layerNorm(glu(fc(dropout(lstm output))) + selected input). */
    private DeviceVariable postLstm(DeviceVariable lstmOutput, DeviceVariable selected) {
        DeviceVariable z = linear("post_lstm_gate_encoder.fc", dropout(lstmOutput));
        return NormOps.gateAddNorm(tape, z, selected, model.p("post_lstm_add_norm_encoder.norm.weight"),
                model.p("post_lstm_add_norm_encoder.norm.bias"), EPS);
    }

    /**
     * PTF's InterpretableMultiHeadAttention: the heads' query and key projections as one Linear each, the
     * shared value projection, the fused attention core, then w_h and dropout.
     */
    private DeviceVariable attention(DeviceVariable query, DeviceVariable keyValue) {
        int b = batch.batch;
        int td = query.size(1);
        int steps = keyValue.size(1);
        int heads = config.attentionHeadSize();
        int d = hidden / heads;
        List<String> qw = new ArrayList<>();
        List<String> qb = new ArrayList<>();
        List<String> kw = new ArrayList<>();
        List<String> kb = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            qw.add("multihead_attn.q_layers." + h + ".weight");
            qb.add("multihead_attn.q_layers." + h + ".bias");
            kw.add("multihead_attn.k_layers." + h + ".weight");
            kb.add("multihead_attn.k_layers." + h + ".bias");
        }
        DeviceVariable q = LinearOps.linear(tape, query, model.group(qw), model.group(qb));
        DeviceVariable k = LinearOps.linear(tape, keyValue, model.group(kw), model.group(kb));
        DeviceVariable v = linear("multihead_attn.v_layer", keyValue);
        // The CPU's attention takes a seed every forward, dropout or not.
        int slot = tape.isTraining() ? model.seeds().next() : 0;
        DeviceVariable core = AttentionOps.interpretable(tape, ShapeOps.reshape(tape, q, b, td, heads, d),
                ShapeOps.reshape(tape, k, b, steps, heads, d), v, batch.encoderLengths, batch.decoderLengths,
                config.causalAttention(), model.dropout(), model.seeds(), slot);
        return dropout(linear("multihead_attn.w_h", core));
    }
}
