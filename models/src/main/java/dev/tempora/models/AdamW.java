package dev.tempora.models;

import dev.tempora.autograd.Variable;

import java.util.List;

/** AdamW (torch.optim.AdamW): Adam with decoupled weight decay, default decay 0.01. */
public final class AdamW extends Adam {

    /** AdamW with torch's default decay, 0.01. */
    public AdamW(List<Variable> parameters, double lr) {
        this(parameters, lr, 0.01);
    }

    /** AdamW with the given decoupled weight decay. */
    public AdamW(List<Variable> parameters, double lr, double weightDecay) {
        super(parameters, lr, 0.9, 0.999, 1e-8, weightDecay, true);
    }
}
