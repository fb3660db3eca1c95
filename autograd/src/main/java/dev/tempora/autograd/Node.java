package dev.tempora.autograd;

/** A recorded op: its backward function and inputs. Released (both dropped) once backpropagated. */
final class Node {
    BackwardFunction backward;
    Variable[] inputs;
    boolean released;

    Node(BackwardFunction backward, Variable[] inputs) {
        this.backward = backward;
        this.inputs = inputs.clone();
    }

    void release() {
        backward = null;
        inputs = null;
        released = true;
    }
}
