#!/usr/bin/python3
"""Reference fixture for OptimizerReferenceTest: torch.optim updates of one parameter under given gradients,
plus cross-entropy values for LossReferenceTest.

For each optimizer setting: a float32 parameter p [3, 4] and three gradients g1..g3 (float32); torch (float64)
applies g_t with opt.step() and the fixture records the parameter after every step. Names:
  <setting>.p0, <setting>.g<t>, <setting>.p<t>  (t = 1..3)
Losses: ce.logits [5, 7], ce.labels int64 [5], ce.targets [5, 7] (rows sum to 1), ce.hard, ce.soft (scalars).

Run: /usr/bin/python3 tools/make_optimizer_fixture.py testdata/fixtures/optimizers.bin
"""
import sys

import torch
import torch.nn.functional as F

from fixture_format import FixtureWriter

SETTINGS = {
    "sgd": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=1e-4)),
    "sgd_nesterov": (torch.optim.SGD, dict(lr=0.05, momentum=0.8, weight_decay=5e-4, nesterov=True)),
    "sgd_plain": (torch.optim.SGD, dict(lr=0.2, momentum=0.0, weight_decay=0.0)),
    "adamw": (torch.optim.AdamW, dict(lr=0.01, weight_decay=0.05)),
}


def main(path):
    gen = torch.Generator().manual_seed(77)
    w = FixtureWriter()
    meta = {}
    for name, (cls, kwargs) in SETTINGS.items():
        p0 = torch.randn(3, 4, generator=gen).float()
        p = torch.nn.Parameter(p0.double().clone())
        opt = cls([p], **kwargs)
        w.add(name + ".p0", p0)
        for t in (1, 2, 3):
            g = torch.randn(3, 4, generator=gen).float()
            p.grad = g.double()
            opt.step()
            w.add("%s.g%d" % (name, t), g)
            w.add("%s.p%d" % (name, t), p)
        meta[name] = kwargs
    logits = (3 * torch.randn(5, 7, generator=gen)).float()
    labels = torch.randint(0, 7, (5,), generator=gen)
    targets = torch.softmax(torch.randn(5, 7, generator=gen), 1).float()
    w.add("ce.logits", logits)
    w.add("ce.labels", labels)
    w.add("ce.targets", targets)
    w.add("ce.hard", F.cross_entropy(logits.double(), labels))
    w.add("ce.soft", -(targets.double() * F.log_softmax(logits.double(), 1)).sum(1).mean())
    w.write(path, meta)


if __name__ == "__main__":
    main(sys.argv[1])
