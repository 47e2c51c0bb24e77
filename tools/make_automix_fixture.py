#!/usr/bin/python3
"""Reference fixture for AutoMixIterationTest and MixBlockTest: one full AutoMix iteration (docs/automix.md, steps
2-8; the EMA of step 9 is Java's and not part of the graphs) on a tiny CIFAR-style ResNet, plus stand-alone
MixBlock cases.

Network: torchvision's ResNet layout with BasicBlocks [1, 1, 1, 1], CIFAR stem, base width 8, two linear heads
head_one / head_mix, 3x16x16 images, batch 4, 10 classes; MixBlock on the teacher's stage-3 features
(32 x 4 x 4), lamConcat on, nearest upsampling. SGD lr 0.1, momentum 0.9, weight decay 1e-4 for both the
student and the MixBlock, with non-zero momentum buffers at the start. The teacher differs from the student
(perturbed parameters and BN statistics) so that the test can tell them apart; MixBlock weights use a larger
std than the 0.01 init so the masks vary visibly. Arithmetic in float64 from float32-representable values.

Evaluation ("eval.<encoder>."): logits of both heads of the student and the teacher after the iteration,
BatchNorm on running statistics, on the same x.

MixBlock cases ("mb.<case>."): features z [3, 6, 4, 4], lam, perm, output 8x8; s = M(z, lam, perm) and the
gradients of sum(s * g) with respect to the four parameters, for lamConcat on/off x nearest/bilinear.

Baselines ("base.<case>."): one single-head (fc) step of MixUp ([N,1,1,1] mask), a CutMix box ([N,1,H,W] mask),
ManifoldMix at l1 and at l2, all from the same state "base.init.".

Run: /usr/bin/python3 tools/make_automix_fixture.py testdata/fixtures/automix_iteration.bin
"""
import copy
import math
import sys

import torch
from torch import nn
import torch.nn.functional as F

from fixture_format import FixtureWriter
from make_resnet_fixture import BasicBlock, CifarResNet, randomise_batchnorm

BATCH, CHANNELS, SIZE, CLASSES, WIDTH = 4, 3, 16, 10, 8
BLOCKS = (1, 1, 1, 1)
TAP = 3
LR, MOMENTUM, WEIGHT_DECAY, BETA = 0.1, 0.9, 1e-4, 0.1
LAM_K, LAM_Q = 0.3, 0.65
MARGIN = 0.1


class TwoHeadResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(CHANNELS, WIDTH, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(WIDTH)
        inplanes = WIDTH
        for s, n in enumerate(BLOCKS, start=1):
            planes = WIDTH << (s - 1)
            blocks = []
            for b in range(n):
                blocks.append(BasicBlock(inplanes, planes, 2 if (s > 1 and b == 0) else 1))
                inplanes = planes
            setattr(self, "layer%d" % s, nn.Sequential(*blocks))
        self.head_one = nn.Linear(inplanes, CLASSES)
        self.head_mix = nn.Linear(inplanes, CLASSES)

    def features(self, x, last_stage):
        x = F.relu(self.bn1(self.conv1(x)))
        for s in range(1, last_stage + 1):
            x = getattr(self, "layer%d" % s)(x)
        return x

    def pooled(self, x):
        return torch.flatten(F.adaptive_avg_pool2d(self.features(x, 4), 1), 1)


class MixBlock(nn.Module):
    """docs/automix.md, 'The MixBlock',, written from the specification."""

    def __init__(self, channels, lam_concat):
        super().__init__()
        cin = channels + (1 if lam_concat else 0)
        self.lam_concat = lam_concat
        self.inner = channels // 2
        self.qk = nn.Conv2d(cin, self.inner, 1)
        self.v = nn.Conv2d(cin, 1, 1)

    def forward(self, z, lam, perm, size, mode):
        n, _, h, w = z.shape
        zi, zj = z, z[perm]
        if self.lam_concat:
            zi = torch.cat([zi, torch.full((n, 1, h, w), lam, dtype=z.dtype)], 1)
            zj = torch.cat([zj, torch.full((n, 1, h, w), 1 - lam, dtype=z.dtype)], 1)
        q = self.qk(zi).flatten(2)                      # n, c/2, hw
        k = self.qk(zj).flatten(2)
        v = self.v(zj).flatten(2)                       # n, 1, hw
        p = torch.softmax(q.transpose(1, 2) @ k / math.sqrt(self.inner), dim=-1)
        m = (p @ v.transpose(1, 2)).view(n, 1, h, w)
        if mode == "nearest":
            m = F.interpolate(m, size=size, mode="nearest")
        else:
            m = F.interpolate(m, size=size, mode="bilinear", align_corners=False)
        return torch.sigmoid(m)


def mixed_ce(logits, y, perm, lam):
    return lam * F.cross_entropy(logits, y) + (1 - lam) * F.cross_entropy(logits, y[perm])


def mix(x, perm, own):
    return own * x + (1 - own) * x[perm]


def float32_exact(module):
    with torch.no_grad():
        for t in module.state_dict().values():
            if t.is_floating_point():
                t.copy_(t.float())
    return module.double()


def randomise_mixblock(mb, gen):
    with torch.no_grad():
        for p in mb.parameters():
            p.copy_(0.2 * torch.randn(p.shape, generator=gen))


def perturb(model, gen):
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith("num_batches_tracked"):
                t.add_(3)
            elif name.endswith("running_var"):
                t.mul_(1 + 0.1 * torch.rand(t.shape, generator=gen))
            else:
                t.add_(0.05 * torch.randn(t.shape, generator=gen) * (t.abs().mean() + 0.01))


def sgd_with_buffers(params, gen):
    opt = torch.optim.SGD(params, lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY, nesterov=False)
    for group in opt.param_groups:
        for p in group["params"]:
            opt.state[p]["momentum_buffer"] = (0.01 * torch.randn(p.shape, generator=gen)).float().double()
    return opt


def add_all(w, prefix, module):
    for k, v in module.state_dict().items():
        w.add(prefix + k, v)


def add_buffers(w, prefix, module, opt):
    for name, p in module.named_parameters():
        w.add(prefix + name + ".momentum_buffer", opt.state[p]["momentum_buffer"])


def automix_iteration(w, gen):
    student = float32_exact(TwoHeadResNet()).train()
    randomise_batchnorm(student, gen)
    teacher = copy.deepcopy(student)
    perturb(teacher, gen)
    float32_exact(teacher).train()
    for p in teacher.parameters():
        p.requires_grad_(False)
    mixblock = MixBlock(WIDTH << (TAP - 1), lam_concat=True)
    randomise_mixblock(mixblock, gen)
    float32_exact(mixblock)
    student_opt = sgd_with_buffers(student.parameters(), gen)
    mixblock_opt = sgd_with_buffers(mixblock.parameters(), gen)

    x = torch.randn(BATCH, CHANNELS, SIZE, SIZE, generator=gen).float().double()
    y = torch.randint(0, CLASSES, (BATCH,), generator=gen)
    perm_k = torch.tensor([2, 0, 3, 1])
    perm_q = torch.tensor([1, 3, 0, 2])
    w.add("x", x)
    w.add("y", y)
    w.add("perm_k", perm_k)
    w.add("perm_q", perm_q)
    add_all(w, "init.", student)
    add_buffers(w, "init.", student, student_opt)
    add_all(w, "init.teacher.", teacher)
    add_all(w, "init.mixblock.", mixblock)
    add_buffers(w, "init.mixblock.", mixblock, mixblock_opt)

    # mixblock_step: steps 2, 3, 5, 6 and the MixBlock's share of step 8
    with torch.no_grad():
        z = teacher.features(x, TAP)
    mask_k = mixblock(z, LAM_K, perm_k, (SIZE, SIZE), "nearest")
    with torch.no_grad():
        mask_q = mixblock(z, LAM_Q, perm_q, (SIZE, SIZE), "nearest")
    x_k = mix(x, perm_k, 1 - mask_k)
    logits_k = teacher.head_mix(teacher.pooled(x_k))
    loss_gen = mixed_ce(logits_k, y, perm_k, LAM_K)
    loss_mask = F.relu(torch.abs((1 - mask_k.mean()) - LAM_K) - MARGIN)
    mixblock_opt.zero_grad()
    (loss_gen + BETA * loss_mask).backward()
    mixblock_opt.step()
    w.add("mixblock_step.mask_k", mask_k)
    w.add("mixblock_step.mask_q", mask_q)
    w.add("mixblock_step.loss_gen", loss_gen)
    w.add("mixblock_step.loss_mask", loss_mask)
    add_all(w, "mixblock_step.next.mixblock.", mixblock)
    add_buffers(w, "mixblock_step.next.mixblock.", mixblock, mixblock_opt)
    for k, v in teacher.state_dict().items():
        if "running" in k or "num_batches" in k:
            w.add("mixblock_step.next.teacher." + k, v)

    # student_step: step 7 and the student's share of step 8; mix_mask = 1 - mask_q (own weight)
    x_q = mix(x, perm_q, 1 - mask_q)
    logits_one = student.head_one(student.pooled(x))
    loss_clean = F.cross_entropy(logits_one, y)
    logits_mix = student.head_mix(student.pooled(x_q))
    loss_mix = mixed_ce(logits_mix, y, perm_q, LAM_Q)
    loss = loss_clean + loss_mix
    student_opt.zero_grad()
    loss.backward()
    student_opt.step()
    w.add("student_step.loss", loss)
    w.add("student_step.loss_clean", loss_clean)
    w.add("student_step.loss_mix", loss_mix)
    w.add("student_step.correct", (logits_one.argmax(1) == y).sum())
    add_all(w, "student_step.next.", student)
    add_buffers(w, "student_step.next.", student, student_opt)

    # four_heads_eval: both heads of both encoders on running statistics, after the iteration
    with torch.no_grad():
        for encoder, model in (("student", student), ("teacher", teacher)):
            model.eval()
            pooled = model.pooled(x)
            w.add("eval.%s.logits_one" % encoder, model.head_one(pooled))
            w.add("eval.%s.logits_mix" % encoder, model.head_mix(pooled))
    print("loss_gen %.6f loss_mask %.6f mask_q range %.4f..%.4f loss_clean %.6f loss_mix %.6f" % (
        loss_gen, loss_mask, mask_q.min(), mask_q.max(), loss_clean, loss_mix))


def mixblock_cases(w, gen):
    n, c, h, size = 3, 6, 4, 8
    z = torch.randn(n, c, h, h, generator=gen).float().double()
    g = torch.randn(n, 1, size, size, generator=gen).float().double()
    perm = torch.tensor([2, 0, 1])
    lam = 0.375
    w.add("mb.z", z)
    w.add("mb.g", g)
    w.add("mb.perm", perm)
    for lam_concat in (True, False):
        for mode in ("nearest", "bilinear"):
            case = "mb.%s_%s." % ("concat" if lam_concat else "plain", mode)
            mb = MixBlock(c, lam_concat)
            randomise_mixblock(mb, gen)
            float32_exact(mb)
            s = mb(z, lam, perm, (size, size), mode)
            (s * g).sum().backward()
            add_all(w, case + "init.mixblock.", mb)
            w.add(case + "s", s)
            for name, p in mb.named_parameters():
                w.add(case + "grad.mixblock." + name, p.grad)


def forward_mixed(model, x, perm, own, at):
    """Single-head forward of the mixed batch; at 0 mixes the images, at s >= 1 the output of stage s."""
    if at == 0:
        x = mix(x, perm, own)
    h = F.relu(model.bn1(model.conv1(x)))
    for s in range(1, 5):
        h = getattr(model, "layer%d" % s)(h)
        if s == at:
            h = mix(h, perm, own)
    return model.fc(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1))


def baseline_cases(w, gen):
    """Single-head sample-level mixing steps (MixUp, a CutMix box, ManifoldMix at l1 and l2) from one state."""
    model = float32_exact(CifarResNet()).train()
    randomise_batchnorm(model, gen)
    opt = sgd_with_buffers(model.parameters(), gen)
    init = copy.deepcopy(model.state_dict())
    buffers = {n: opt.state[p]["momentum_buffer"].clone() for n, p in model.named_parameters()}
    add_all(w, "base.init.", model)
    add_buffers(w, "base.init.", model, opt)
    x = torch.randn(BATCH, CHANNELS, SIZE, SIZE, generator=gen).float().double()
    y = torch.randint(0, CLASSES, (BATCH,), generator=gen)
    perm = torch.tensor([3, 2, 0, 1])
    w.add("base.x", x)
    w.add("base.y", y)
    w.add("base.perm", perm)
    box = torch.ones(BATCH, 1, SIZE, SIZE, dtype=torch.float64)
    box[:, :, 2:10, 5:13] = 0
    cases = {"mixup": (0, torch.full((BATCH, 1, 1, 1), 0.7, dtype=torch.float64), 0.7),
             "cutmix": (0, box, 1 - 64 / 256),
             "manifold_l1": (1, torch.full((BATCH, 1, 1, 1), 0.4, dtype=torch.float64), 0.4),
             "manifold_l2": (2, torch.full((BATCH, 1, 1, 1), 0.8, dtype=torch.float64), 0.8)}
    for name, (at, own, lam) in cases.items():
        model.load_state_dict(init)
        for n, p in model.named_parameters():
            opt.state[p]["momentum_buffer"] = buffers[n].clone()
        logits = forward_mixed(model, x, perm, own, at)
        loss = mixed_ce(logits, y, perm, lam)
        opt.zero_grad()
        loss.backward()
        opt.step()
        p = "base.%s." % name
        w.add(p + "mix_mask", own)
        w.add(p + "lam", torch.tensor(lam))
        w.add(p + "loss", loss)
        # the small tensors only (stem, stages 1-2, head) keep the file small; the loss covers the rest
        for k, v in model.state_dict().items():
            if not k.startswith(("layer3", "layer4")):
                w.add(p + "next." + k, v)


def main(path):
    torch.manual_seed(20261125)
    gen = torch.Generator().manual_seed(4321)
    w = FixtureWriter()
    automix_iteration(w, gen)
    mixblock_cases(w, gen)
    baseline_cases(w, gen)
    meta = {"batch": BATCH, "channels": CHANNELS, "size": SIZE, "classes": CLASSES, "base_width": WIDTH,
            "blocks": list(BLOCKS), "tap": TAP, "lr": LR, "momentum": MOMENTUM, "weight_decay": WEIGHT_DECAY,
            "mask_loss_weight": BETA, "lam_k": LAM_K, "lam_q": LAM_Q, "mb_lam": 0.375, "torch": torch.__version__}
    w.write(path, meta)


if __name__ == "__main__":
    main(sys.argv[1])
