package dev.tempora.autograd;

import dev.tempora.tensor.Shapes;
import dev.tempora.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/** The reverse pass: topological order, gradient routing and accumulation, graph release. */
final class Backpropagation {

    private Backpropagation() {}

    static void run(Variable root, Tensor gradOutput, boolean retainGraph) {
        if (root.node == null) { // a leaf: the gradient is the seed itself
            root.accumulateLeafGradient(gradOutput);
            return;
        }
        List<Variable> order = topologicalOrder(root);
        // Gradients in flight live in this pass's own map, never on the variables: parameters are
        // shared by data-parallel workers running backward passes at the same time.
        Sink sink = new Sink();
        sink.pending.put(root, new Pending(gradOutput, false));
        // Reverse topological order: every consumer of a variable runs before the variable's own node.
        for (int i = order.size() - 1; i >= 0; i--) {
            Variable v = order.get(i);
            Node node = v.node;
            Pending g = sink.pending.remove(v);
            if (g == null) {
                continue; // nothing flowed here (e.g. only non-differentiable paths)
            }
            sink.inputs = node.inputs;
            node.backward.backward(g.value, sink);
            if (!retainGraph) {
                node.release();
            }
        }
        // Leaves received their gradients as pending values; fold them into .grad.
        for (Variable leaf : sink.leaves) {
            Pending g = sink.pending.remove(leaf);
            if (g != null) {
                leaf.accumulateLeafGradient(g.value);
            }
        }
    }

    /** A gradient flowing into a variable, and whether this pass allocated it (and so may mutate it). */
    private static final class Pending {
        Tensor value;
        boolean owned;

        Pending(Tensor value, boolean owned) {
            this.value = value;
            this.owned = owned;
        }
    }

    /** Variables with a node reachable from root, in topological order (inputs before results). */
    private static List<Variable> topologicalOrder(Variable root) {
        List<Variable> order = new ArrayList<>();
        IdentityHashMap<Variable, Boolean> visited = new IdentityHashMap<>();
        // Iterative post-order DFS: graphs of long sequences are too deep for recursion.
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        visited.put(root, Boolean.TRUE);
        checkNotReleased(root);
        stack.push(new Object[] {root, 0});
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Variable v = (Variable) frame[0];
            int next = (Integer) frame[1];
            Variable[] inputs = v.node.inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Variable in = inputs[next];
                if (in.node != null && in.requiresGrad() && !visited.containsKey(in)) {
                    checkNotReleased(in);
                    visited.put(in, Boolean.TRUE);
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    private static void checkNotReleased(Variable v) {
        if (v.node.released) {
            throw new IllegalStateException("backward through a graph that an earlier backward() already released;"
                    + " pass retainGraph=true to the first backward to run it twice");
        }
    }

    /** Routes gradients into inputs' pending tensors, mutating only what it allocated itself. */
    private static final class Sink implements GradientSink {
        Variable[] inputs;
        final IdentityHashMap<Variable, Pending> pending = new IdentityHashMap<>();
        final List<Variable> leaves = new ArrayList<>();

        @Override
        public boolean needs(int i) {
            return inputs[i].requiresGrad();
        }

        @Override
        public void accumulate(int i, Tensor grad) {
            Variable v = inputs[i];
            if (!v.requiresGrad()) {
                return;
            }
            Tensor g = reduceToShape(grad, v.value().shape());
            Pending p = pending.get(v);
            if (p == null) {
                track(v);
                pending.put(v, new Pending(g, false));
            } else if (p.owned) {
                p.value.addInPlace(g);
            } else {
                p.value = p.value.add(g);
                p.owned = true;
            }
        }

        @Override
        public void accumulateSlice(int i, int axis, int start, Tensor grad) {
            Variable v = inputs[i];
            if (!v.requiresGrad()) {
                return;
            }
            Pending p = pending.get(v);
            if (p == null) {
                track(v);
                p = new Pending(Tensor.zeros(v.value().shape()), true);
                pending.put(v, p);
            } else if (!p.owned) {
                p.value = p.value.copy();
                p.owned = true;
            }
            Tensor region = p.value.narrow(axis, start, grad.size(axis));
            region.copyFrom(region.add(grad));
        }

        private void track(Variable v) {
            if (v.node == null) {
                leaves.add(v);
            }
        }
    }

    /** Sums a broadcast gradient down to {@code shape} (the inverse of broadcasting). */
    static Tensor reduceToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int[] axes = Shapes.broadcastAxes(shape, gs);
        Tensor s = axes.length == 0 ? g : g.sum(axes, true);
        if (s.numel() != Shapes.numel(shape)) {
            throw new IllegalStateException("gradient of shape " + Arrays.toString(gs)
                    + " cannot be reduced to input shape " + Arrays.toString(shape));
        }
        return s.reshape(shape);
    }
}
