#!/usr/bin/python3
"""Reference fixture for ResNetReferenceTest: two SGD train steps of a small CIFAR-style ResNet in PyTorch.

The network is torchvision's ResNet layout (BasicBlock, names conv1 / bn1 / layerS.B.convK / downsample.0|1 /
fc) with the CIFAR stem (3x3 stride-1 conv, no max-pool), one block per stage, base width 8, on 3x16x16 images,
batch 4, 10 classes. It is written out here (torchvision is not installed) and computed in float64 from
float32-representable initial values, so the fixture holds the exact answer that a float32 implementation
must approach.

BatchNorm affine parameters and running statistics are randomised (instead of 1/0) so every gradient path is
exercised; the fixture does not test the init scheme.

Output format: see fixture_format.py.

Run: /usr/bin/python3 tools/make_resnet_fixture.py testdata/fixtures/resnet_small_sgd.bin
"""
import sys

import torch
from torch import nn
import torch.nn.functional as F

from fixture_format import FixtureWriter

BATCH, CHANNELS, SIZE, CLASSES, WIDTH = 4, 3, 16, 10, 8
BLOCKS = (1, 1, 1, 1)
LR, MOMENTUM, WEIGHT_DECAY = 0.1, 0.9, 1e-4


class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False),
                                            nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(out + identity)


class CifarResNet(nn.Module):
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
        self.fc = nn.Linear(inplanes, CLASSES)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for s in range(1, 5):
            x = getattr(self, "layer%d" % s)(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def randomise_batchnorm(model, gen):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=gen))
                m.bias.copy_(0.2 * torch.randn(c, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(c, generator=gen))


def add_state(w, prefix, model, with_parameters=True):
    params = {name for name, _ in model.named_parameters()}
    for k, v in model.state_dict().items():
        if with_parameters or k not in params:
            w.add(prefix + k, v)


def main(path):
    torch.manual_seed(20261125)
    gen = torch.Generator().manual_seed(1234)
    model = CifarResNet()
    randomise_batchnorm(model, gen)
    # float32 initial values, then float64 arithmetic for the reference
    with torch.no_grad():
        for t in model.state_dict().values():
            if t.is_floating_point():
                t.copy_(t.float())
    model = model.double().train()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY,
                          nesterov=False)

    w = FixtureWriter()
    add_state(w, "init.", model)
    for step in (1, 2):
        x = torch.randn(BATCH, CHANNELS, SIZE, SIZE, generator=gen).float()
        y = torch.randint(0, CLASSES, (BATCH,), generator=gen)
        w.add("step%d.x" % step, x)
        if step == 1:
            w_x1 = x
        w.add("step%d.y" % step, y)
        opt.zero_grad()
        logits = model(x.double())
        loss = F.cross_entropy(logits, y)
        loss.backward()
        w.add("step%d.loss" % step, loss)
        w.add("step%d.logits" % step, logits)
        if step == 1:
            for name, p in model.named_parameters():
                w.add("step1.grad." + name, p.grad)
        opt.step()
        # parameters after step 1 are left out to keep the file small: step 2 starts from the Java side's own
        # step-1 outputs, so its parameters check the step-1 update (and the momentum buffers) as well
        add_state(w, "step%d.next." % step, model, with_parameters=step == 2)
    # evaluation mode (running statistics) after the two steps, on the first batch
    model.eval()
    with torch.no_grad():
        w.add("eval.logits", model(w_x1.double()))
    meta = {"batch": BATCH, "channels": CHANNELS, "size": SIZE, "classes": CLASSES, "base_width": WIDTH,
            "blocks": list(BLOCKS), "lr": LR, "momentum": MOMENTUM, "weight_decay": WEIGHT_DECAY,
            "nesterov": False, "torch": torch.__version__}
    w.write(path, meta)


if __name__ == "__main__":
    main(sys.argv[1])
