"""Prints torch's Adam and AdamW trajectories used by OptimizerTest (torch 1.13, Debian's python3-torch).

    /usr/bin/python3 models/src/test/python/optimizer_reference.py
"""
import torch

for name, make in [("adam", lambda p: torch.optim.Adam([p], lr=0.1)),
                   ("adam_l2", lambda p: torch.optim.Adam([p], lr=0.1, weight_decay=0.1)),
                   ("adamw", lambda p: torch.optim.AdamW([p], lr=0.1, weight_decay=0.1))]:
    p = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    opt = make(p)
    for step in range(5):
        opt.zero_grad()
        loss = (p ** 2 * torch.tensor([1.0, 3.0, -2.0])).sum() + p[0] * p[1]
        loss.backward()
        opt.step()
    print(name, [float(x) for x in p.detach()])
