#!/usr/bin/python3
"""Reference models for the model zoo tests, written here in torchvision's structure and parameter names
(torchvision is not installed): ResNet/ResNeXt (BasicBlock, Bottleneck v1.5), pre-activation ResNet/WRN and
MobileNetV2.

  counts                     print parameter counts of the published configurations (the numbers the Java
                             ModelZooTest asserts)
  fixture NAME OUT           write a forward fixture (weights, input, eval-mode logits) of a small network:
                             resnet18  -> CIFAR ResNet-18 at base width 8, input 2x3x32x32, 10 classes
                             mobilenetv2 -> MobileNetV2 width 0.15, input 2x3x64x64, 10 classes
                             resnext   -> ResNeXt-50 (ImageNet stem) at 1/16 width: planes 4, 2 groups,
                                          input 2x3x64x64, 10 classes
                             wrn       -> WRN-16-2 at half width (stem 8, widths 16/32/64), input 2x3x32x32

BN affine parameters and running statistics are randomised so that eval mode is not the identity. Weights are
float32 values, the reference logits are computed in float64.

Run: /usr/bin/python3 tools/zoo_reference.py fixture resnet18 testdata/fixtures/zoo_resnet18_forward.bin
"""
import sys

import torch
from torch import nn
import torch.nn.functional as F

from fixture_format import FixtureWriter


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride, groups=1, width_per_group=64):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride, groups=1, width_per_group=64):
        super().__init__()
        width = int(planes * (width_per_group / 64.0)) * groups
        self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.downsample = None
        if stride != 1 or inplanes != planes * 4:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes * 4, 1, stride, bias=False),
                                            nn.BatchNorm2d(planes * 4))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    def __init__(self, block, layers, classes, cifar, base=64, groups=1, width_per_group=64, channels=3):
        super().__init__()
        self.cifar = cifar
        self.conv1 = (nn.Conv2d(channels, base, 3, 1, 1, bias=False) if cifar
                      else nn.Conv2d(channels, base, 7, 2, 3, bias=False))
        self.bn1 = nn.BatchNorm2d(base)
        inplanes = base
        for s, n in enumerate(layers, start=1):
            planes = base << (s - 1)
            blocks = []
            for b in range(n):
                blocks.append(block(inplanes, planes, 2 if (s > 1 and b == 0) else 1, groups, width_per_group))
                inplanes = planes * block.expansion
            setattr(self, "layer%d" % s, nn.Sequential(*blocks))
        self.fc = nn.Linear(inplanes, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        if not self.cifar:
            x = F.max_pool2d(x, 3, 2, 1)
        for s in range(1, 5):
            x = getattr(self, "layer%d" % s)(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class PreActBlock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inplanes)
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.shortcut = None
        if stride != 1 or inplanes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False))

    def forward(self, x):
        a = F.relu(self.bn1(x))
        sc = x if self.shortcut is None else self.shortcut(a)
        return self.conv2(F.relu(self.bn2(self.conv1(a)))) + sc


class PreActResNet(nn.Module):
    def __init__(self, stem, widths, layers, classes, channels=3):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, stem, 3, 1, 1, bias=False)
        inplanes = stem
        for s, (w, n) in enumerate(zip(widths, layers), start=1):
            blocks = []
            for b in range(n):
                blocks.append(PreActBlock(inplanes, w, 2 if (s > 1 and b == 0) else 1))
                inplanes = w
            setattr(self, "layer%d" % s, nn.Sequential(*blocks))
        self.stages = len(widths)
        self.bn = nn.BatchNorm2d(inplanes)
        self.fc = nn.Linear(inplanes, classes)

    def forward(self, x):
        x = self.conv1(x)
        for s in range(1, self.stages + 1):
            x = getattr(self, "layer%d" % s)(x)
        x = F.relu(self.bn(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class ConvBNReLU6(nn.Sequential):
    def __init__(self, inp, out, kernel, stride=1, groups=1):
        super().__init__(nn.Conv2d(inp, out, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(out), nn.ReLU6())


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand):
        super().__init__()
        hidden = inp * expand
        self.use_res = stride == 1 and inp == oup
        layers = [] if expand == 1 else [ConvBNReLU6(inp, hidden, 1)]
        layers += [ConvBNReLU6(hidden, hidden, 3, stride, hidden), nn.Conv2d(hidden, oup, 1, bias=False),
                   nn.BatchNorm2d(oup)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res else self.conv(x)


class MobileNetV2(nn.Module):
    SETTING = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
               [6, 320, 1, 1]]

    def __init__(self, classes, width=1.0, channels=3):
        super().__init__()
        inp = make_divisible(32 * width)
        last = make_divisible(1280 * max(1.0, width))
        feats = [ConvBNReLU6(channels, inp, 3, 2)]
        for t, c, n, s in self.SETTING:
            out = make_divisible(c * width)
            for i in range(n):
                feats.append(InvertedResidual(inp, out, s if i == 0 else 1, t))
                inp = out
        feats.append(ConvBNReLU6(inp, last, 1))
        self.features = nn.Sequential(*feats)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last, classes))

    def forward(self, x):
        x = self.features(x)
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def count(m):
    return sum(p.numel() for p in m.parameters())


def counts():
    def wrn(d, k, classes):
        n = (d - 4) // 6
        return PreActResNet(16, [16 * k, 32 * k, 64 * k], [n, n, n], classes)

    table = {
        "resnet18-cifar 10": ResNet(BasicBlock, [2, 2, 2, 2], 10, True),
        "resnet34 1000": ResNet(BasicBlock, [3, 4, 6, 3], 1000, False),
        "resnet50 1000": ResNet(Bottleneck, [3, 4, 6, 3], 1000, False),
        "resnet101 1000": ResNet(Bottleneck, [3, 4, 23, 3], 1000, False),
        "resnext50-32x4d 1000": ResNet(Bottleneck, [3, 4, 6, 3], 1000, False, groups=32, width_per_group=4),
        "resnext101-32x4d 1000": ResNet(Bottleneck, [3, 4, 23, 3], 1000, False, groups=32, width_per_group=4),
        "wrn-28-10 10": wrn(28, 10, 10),
        "wrn-28-8 100": wrn(28, 8, 100),
        "preact-resnet18 10": PreActResNet(64, [64, 128, 256, 512], [2, 2, 2, 2], 10),
        "mobilenetv2 1000": MobileNetV2(1000),
    }
    for k, m in table.items():
        print("%-24s %d" % (k, count(m)))


def randomise(model, gen):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=gen))
                m.bias.copy_(0.2 * torch.randn(c, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(c, generator=gen))
            elif isinstance(m, nn.Linear):
                m.weight.copy_(0.1 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))


def fixture(name, path):
    torch.manual_seed(20261125)
    gen = torch.Generator().manual_seed(77)
    if name == "resnet18":
        model, size, meta = ResNet(BasicBlock, [2, 2, 2, 2], 10, True, base=8), 32, {"model": "resnet18-cifar-w0.125"}
    elif name == "mobilenetv2":
        model, size, meta = MobileNetV2(10, width=0.15), 64, {"model": "mobilenetv2-w0.15"}
    elif name == "resnext":
        model = ResNet(Bottleneck, [3, 4, 6, 3], 10, False, base=4, groups=2, width_per_group=64)
        size, meta = 64, {"model": "resnext50-32x4d-w0.0625"}
    elif name == "wrn":
        model, size, meta = PreActResNet(8, [16, 32, 64], [2, 2, 2], 10), 32, {"model": "wrn-16-2-w0.5"}
    else:
        raise SystemExit("unknown fixture " + name)
    randomise(model, gen)
    x = torch.randn(2, 3, size, size, generator=gen)
    w = FixtureWriter()
    for k, v in model.state_dict().items():
        w.add("state." + k, v)
    w.add("x", x)
    model = model.double().eval()
    with torch.no_grad():
        w.add("logits", model(x.double()))
    meta.update({"channels": 3, "size": size, "classes": 10, "torch": torch.__version__})
    w.write(path, meta)


if __name__ == "__main__":
    if sys.argv[1] == "counts":
        counts()
    else:
        fixture(sys.argv[2], sys.argv[3])
