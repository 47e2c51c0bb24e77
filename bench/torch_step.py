#!/usr/bin/python3
"""Times one training step of an automix-onnx zoo model in PyTorch: the reference that `automix-onnx bench`
is compared with.

`--model` takes the zoo's names for ResNets and MobileNetV2 (resnet18-cifar, resnet50-cifar-w0.25,
mobilenetv2-w0.5, ...) and builds the same network: tools/zoo_reference.py's torchvision layouts, split into the
stem and the four stages whose outputs are the zoo's feature taps l1..l4, without MobileNetV2's dropout.

The step is the same as the Java benchmark's: forward, cross-entropy loss, backward and an SGD update
(momentum 0.9, weight decay 5e-4) on one fixed random batch, BatchNorm in training mode. `--method mixup`
also mixes the batch with a shuffled copy of itself (lam ~ Beta(1, 1)) and uses the mixed loss.
`--method automix` times a whole AutoMix iteration as docs/automix.md gives it and `bench --method automix`
runs it: teacher features at stage 3 (no gradient), MixBlock masks for lam_k and (detached) lam_q with the margin
rule, the generation and mask losses through the frozen teacher, the student's clean and mixed losses, one SGD
step for the student and the MixBlock, and the EMA of the teacher's parameters (MixBlock from
tools/make_automix_fixture.py).

Run with Debian's interpreter, which has torch 1.13:
    /usr/bin/python3 bench/torch_step.py --method vanilla --batch-size 100 --steps 20 --threads 2
"""
import argparse
import copy
import json
import math
import os
import re
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from make_automix_fixture import MixBlock, mix, mixed_ce  # noqa: E402
from zoo_reference import BasicBlock, Bottleneck, MobileNetV2, ResNet  # noqa: E402

ZOO_NAME = re.compile(r"(resnet(18|34|50|101)|mobilenetv2)(-cifar)?(?:-w([0-9]*\.?[0-9]+))?")
RESNET_LAYOUTS = {"18": (BasicBlock, [2, 2, 2, 2]), "34": (BasicBlock, [3, 4, 6, 3]),
                  "50": (Bottleneck, [3, 4, 6, 3]), "101": (Bottleneck, [3, 4, 23, 3])}
# MobileNetV2's stages end where ResNet's do (strides 4, 8, 16, 32): after features.3, .6, .13 and .18
MOBILENET_STAGE_ENDS = (3, 6, 13, 18)


class StagedClassifier(nn.Module):
    """A zoo network as automix-onnx's StagedClassifier runs it: stem, stages whose outputs are the feature taps
    l1..l4, global average pooling and the linear head (without MobileNetV2's dropout, which automix-onnx leaves
    out too); with two_heads also AutoMix's head_mix (the network's own head is head_one)."""

    def __init__(self, stem, stages, head, two_heads):
        super().__init__()
        self.stem = stem
        self.stages = nn.ModuleList(stages)
        self.head = head
        if two_heads:
            self.head_mix = nn.Linear(head.in_features, head.out_features)

    def features(self, x, stages=4):
        y = self.stem(x)
        for stage in self.stages[:stages]:
            y = stage(y)
        return y

    def pooled(self, x):
        return torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1)

    def forward(self, x):
        return self.head(self.pooled(x))

    def tap_width(self, stage):
        """Channels of tap l<stage>: every block of the zoo ends in a BatchNorm, and a stage's last block has no
        projection shortcut, so the stage's last BatchNorm has them."""
        norms = [m for m in self.stages[stage - 1].modules() if isinstance(m, nn.BatchNorm2d)]
        return norms[-1].num_features


def zoo_model(name, channels, classes, two_heads=False):
    """The network automix-onnx's ModelZoo builds for `name` (tools/zoo_reference.py's torchvision layouts)."""
    m = ZOO_NAME.fullmatch(name.strip().lower())
    if m is None:
        sys.exit(f"unknown model '{name}' (resnet18|34|50|101[-cifar][-w<multiplier>], mobilenetv2[-w<multiplier>])")
    arch, depth, cifar, width = m.group(1), m.group(2), m.group(3) is not None, float(m.group(4) or 1)
    if arch == "mobilenetv2":
        if cifar:
            sys.exit("mobilenetv2 has no -cifar variant")
        net = MobileNetV2(classes, width, channels)
        f = net.features
        ends = (0,) + MOBILENET_STAGE_ENDS
        stages = [f[first + 1:last + 1] for first, last in zip(ends, ends[1:])]
        return StagedClassifier(f[0], stages, net.classifier[1], two_heads)
    block, layers = RESNET_LAYOUTS[depth]
    base = max(1, math.floor(64 * width + 0.5))  # ResNetConfig.widthMultiplier: Java's Math.round, half up
    net = ResNet(block, layers, classes, cifar, base=base, channels=channels)
    stem = [net.conv1, net.bn1, nn.ReLU()] + ([] if cifar else [nn.MaxPool2d(3, 2, 1)])
    stages = [getattr(net, f"layer{s}") for s in range(1, 5)]
    return StagedClassifier(nn.Sequential(*stem), stages, net.fc, two_heads)


def make_automix_step(student, optimizer, size, tap=3, ema=0.999, margin=0.08, beta=0.1):
    """One AutoMix iteration (docs/automix.md, "One iteration", steps 1-9); the optimizer holds the student's and the
    MixBlock's parameters, the MixBlock (on the teacher's features at tap l<tap>) is created here and added to it."""
    teacher = copy.deepcopy(student)
    for p in teacher.parameters():
        p.requires_grad_(False)
    mixblock = MixBlock(student.tap_width(tap), lam_concat=True)
    optimizer.add_param_group({"params": list(mixblock.parameters())})
    dist = torch.distributions.Beta(torch.tensor(2.0), torch.tensor(2.0))

    def step(x, y):
        n = x.shape[0]
        lam_k, lam_q = float(dist.sample()), float(dist.sample())
        perm_k, perm_q = torch.randperm(n), torch.randperm(n)
        with torch.no_grad():
            z = teacher.features(x, tap)
        mask_k = mixblock(z, lam_k, perm_k, (size, size), "nearest")
        with torch.no_grad():
            if lam_q <= margin or lam_q >= 1 - margin:
                mask_q = torch.full((n, 1, size, size), 1 - lam_q)
            else:
                mask_q = mixblock(z, lam_q, perm_q, (size, size), "nearest")
        x_k = mix(x, perm_k, 1 - mask_k)
        loss_gen = mixed_ce(teacher.head_mix(teacher.pooled(x_k)), y, perm_k, lam_k)
        loss_mask = F.relu(torch.abs((1 - mask_k.mean()) - lam_k) - 0.1)
        x_q = mix(x, perm_q, 1 - mask_q)
        loss_cls = F.cross_entropy(student.head(student.pooled(x)), y) + mixed_ce(
            student.head_mix(student.pooled(x_q)), y, perm_q, lam_q)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_cls + loss_gen + beta * loss_mask
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for pt, ps in zip(teacher.parameters(), student.parameters()):
                pt.mul_(ema).add_(ps, alpha=1 - ema)
        return loss.item()

    return step


def make_step(model, optimizer, method):
    """Returns a function running one training step on (x, y); `mixup` mixes inside the step."""
    beta = torch.distributions.Beta(torch.tensor(1.0), torch.tensor(1.0))

    def step(x, y):
        if method == "mixup":
            lam = float(beta.sample())
            perm = torch.randperm(x.shape[0])
            logits = model(lam * x + (1 - lam) * x[perm])
            loss = lam * F.cross_entropy(logits, y) + (1 - lam) * F.cross_entropy(logits, y[perm])
        else:
            loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def print_profile(step, x, y, top, runs=2):
    """Self CPU time per step of each aten operator over `runs` steps, most expensive first."""
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(runs):
            step(x, y)
    rows = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)
    total = sum(e.self_cpu_time_total for e in rows) / runs / 1000
    print(f"torch profile: self CPU time per step {total:.1f} ms over {runs} profiled steps")
    print(f"{'operator':<44} {'ms/step':>9} {'share':>6} {'calls':>6}")
    for e in rows[:top]:
        ms = e.self_cpu_time_total / runs / 1000
        print(f"{e.key:<44} {ms:9.2f} {100 * ms / total:5.1f}% {e.count // runs:6d}")
    print()


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="resnet18-cifar",
                   help="automix-onnx zoo name: resnet18|34|50|101[-cifar][-w<multiplier>] or "
                        "mobilenetv2[-w<multiplier>] (default: resnet18-cifar)")
    p.add_argument("--method", choices=["vanilla", "mixup", "automix"], default="vanilla")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--steps", type=int, default=20, help="timed steps")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--width", type=float, help="width multiplier: the older spelling of --model's -w suffix")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print one JSON line instead of the table")
    p.add_argument("--profile", type=int, default=0, metavar="K",
                   help="after timing, profile 2 more steps and print the K operators with the most self CPU time "
                        "per step (compare with bench --profile)")
    a = p.parse_args(argv)

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.width is not None and "-w" in a.model:
        p.error("give the width either as --model's -w suffix or with --width")
    name = a.model if a.width is None else f"{a.model}-w{a.width:g}"
    model = zoo_model(name, a.channels, a.classes, two_heads=a.method == "automix").train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x = torch.rand(a.batch_size, a.channels, a.image_size, a.image_size)
    y = torch.randint(0, a.classes, (a.batch_size,))
    if a.method == "automix":
        step = make_automix_step(model, optimizer, a.image_size)
    else:
        step = make_step(model, optimizer, a.method)

    for _ in range(a.warmup):
        step(x, y)
    seconds = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step(x, y)
        seconds.append(time.perf_counter() - t0)

    median = statistics.median(seconds)
    result = {
        "workload": f"torch {torch.__version__} {name} {a.method}",
        "batch_size": a.batch_size,
        "threads": a.threads,
        "steps": a.steps,
        "warmup": a.warmup,
        "median_step_s": median,
        "min_step_s": min(seconds),
        "max_step_s": max(seconds),
        "images_per_s": a.batch_size / median,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,  # Linux reports kB
    }
    if a.profile:
        print_profile(step, x, y, a.profile)
    if a.json:
        print(json.dumps(result))
    else:
        rows = [
            ("workload", result["workload"]),
            ("device", f"cpu, {a.threads} threads"),
            ("batch size", str(a.batch_size)),
            ("steps timed", f"{a.steps} (after {a.warmup} warm-up)"),
            ("step time", f"median {median:.4f} s, min {min(seconds):.4f} s, max {max(seconds):.4f} s"),
            ("images/s (median)", f"{result['images_per_s']:.1f}"),
            ("peak RSS", f"{result['peak_rss_mb']:.0f} MB"),
        ]
        for k, v in rows:
            print(f"{k:<18} {v}")


if __name__ == "__main__":
    main(sys.argv[1:])
