package dev.tempora.models;

import dev.tempora.autograd.Functional;
import dev.tempora.autograd.Variable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * PTF's VariableSelectionNetwork: each variable is transformed to the hidden size (embeddings by a
 * ResampleNorm, prescaled reals by a GRN), a GRN over all inputs (with optional context) gives
 * softmax weights, and the output is the weighted sum. One variable gets weight 1 and no weight GRN.
 */
public final class VariableSelectionNetwork extends Module {

    /** The variables, in the order of the weights. */
    public final List<String> names;
    /** H, the features of the output. */
    public final int hiddenSize;
    private final GatedResidualNetwork flattenedGrn;
    private final ModuleDict<Module> singleVariableGrns;
    private final ModuleDict<Linear> prescalers;

    /** The weighted sum (…, H) and the weights (…, 1, n). */
    public record Output(Variable output, Variable weights) {}

    /**
     * @param inputSizes     variable name → input size (embedding size, or the prescaled size of a real)
     * @param embedded       names that are categorical embeddings
     * @param sharedPrescalers the model's Linear(1, hc) per real variable, shared with this network
     * @param contextSize    context size, or 0 for none
     */
    public VariableSelectionNetwork(Map<String, Integer> inputSizes, int hiddenSize, Set<String> embedded,
                                    float dropout, int contextSize, Map<String, Linear> sharedPrescalers,
                                    RandomGenerator rng) {
        this.names = List.copyOf(inputSizes.keySet());
        this.hiddenSize = hiddenSize;
        int n = names.size();
        int total = inputSizes.values().stream().mapToInt(Integer::intValue).sum();
        this.flattenedGrn = n > 1
                ? module("flattened_grn", new GatedResidualNetwork(total, Math.min(hiddenSize, n), n, dropout, contextSize, rng))
                : null;
        this.singleVariableGrns = module("single_variable_grns", new ModuleDict<>());
        this.prescalers = module("prescalers", new ModuleDict<>());
        for (Map.Entry<String, Integer> e : inputSizes.entrySet()) {
            String name = e.getKey();
            int size = e.getValue();
            if (embedded.contains(name)) {
                singleVariableGrns.put(name, new ResampleNorm(size, hiddenSize, true));
            } else {
                singleVariableGrns.put(name, new GatedResidualNetwork(size, Math.min(size, hiddenSize), hiddenSize,
                        dropout, 0, rng));
                Linear prescaler = sharedPrescalers.get(name);
                if (prescaler == null) {
                    throw new IllegalArgumentException("no prescaler for real variable '" + name + "'");
                }
                prescalers.put(name, prescaler);
            }
        }
    }

    /**
     * @param inputs  name → (…, size) embeddings, or (…, 1) raw reals (prescaled here)
     * @param context (B, context) or (B, 1, context), or null
     */
    public Output forward(Map<String, Variable> inputs, Variable context) {
        List<Variable> transformed = new ArrayList<>(names.size());
        List<Variable> flat = new ArrayList<>(names.size());
        for (String name : names) {
            Variable v = inputs.get(name);
            if (v == null) {
                throw new IllegalArgumentException("variable selection: missing input '" + name + "'");
            }
            Linear prescaler = prescalers.get(name);
            if (prescaler != null) {
                v = prescaler.forward(v);
            }
            flat.add(v);
            Module grn = singleVariableGrns.get(name);
            transformed.add(grn instanceof ResampleNorm r ? r.forward(v) : ((GatedResidualNetwork) grn).forward(v));
        }
        if (names.size() == 1) {
            Variable out = transformed.get(0);
            int[] shape = out.shape();
            int[] weightShape = java.util.Arrays.copyOf(shape, shape.length + 1);
            weightShape[shape.length - 1] = 1;
            weightShape[shape.length] = 1;
            return new Output(out, Variable.constant(dev.tempora.tensor.Tensor.ones(weightShape)));
        }
        Variable weights = flattenedGrn.forward(Variable.concat(-1, flat.toArray(Variable[]::new)), context)
                .softmax(-1).unsqueeze(-2);
        // PTF stacks the transformed variables on a last axis, multiplies by the weights and sums
        // that axis; one fused op does the same without the stacked tensor.
        return new Output(Functional.weightedSum(transformed.toArray(Variable[]::new), weights), weights);
    }

    /** Variable name → prescaler, for building networks that share them. */
    static Map<String, Linear> prescalerMap(ModuleDict<Linear> dict) {
        return new LinkedHashMap<>(dict.entries());
    }

    @Override
    protected String describe() {
        return "VariableSelectionNetwork(" + names.size() + " variables -> " + hiddenSize + ")";
    }
}
