#!/usr/bin/python3
"""A user's classifier exported with torch.onnx.export, as the fixture of the --model-file import tests.

A tiny ResNet-like net on 3x16x16 images, 4 classes: conv-BN-ReLU stem, a pre-activation residual block
(BN-ReLU-conv-BN-ReLU-conv + identity), a strided block with a 1x1 conv shortcut, a final BN after the residual
sum, global average pooling, flatten, linear. Exported the way users do (eval mode, default options, opset 17,
dynamic batch): torch folds the BNs that follow a conv into the conv, the pre-activation BNs stay
BatchNormalization nodes, so the import sees both forms. BN statistics are randomised so eval mode matters.

Writes testdata/onnx/user_resnet.onnx and testdata/fixtures/user_resnet_eval.bin (input x [2,3,16,16], torch's
eval-mode logits computed in float64). Also testdata/onnx/user_resnet_bn.onnx: the same net exported with
training=TrainingMode.TRAINING, which keeps every BatchNormalization node (training_mode=1, with the running-stat
outputs), the export to use when the BNs after convs should train as BNs.

Run: /usr/bin/python3 tools/make_import_fixture.py
"""
import pathlib
from copy import deepcopy

import onnx
import torch
from torch import nn
import torch.nn.functional as F

from fixture_format import FixtureWriter

ROOT = pathlib.Path(__file__).resolve().parent.parent


class UserNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(8)
        self.b1_bn1 = nn.BatchNorm2d(8)
        self.b1_conv1 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.b1_bn2 = nn.BatchNorm2d(8)
        self.b1_conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.b2_conv = nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False)
        self.b2_bn = nn.BatchNorm2d(16)
        self.b2_short = nn.Conv2d(8, 16, 1, stride=2, bias=True)
        self.final_bn = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x)))
        h = self.b1_conv1(F.relu(self.b1_bn1(x)))
        x = x + self.b1_conv2(F.relu(self.b1_bn2(h)))
        x = torch.relu(self.b2_bn(self.b2_conv(x)) + self.b2_short(x))
        x = F.relu(self.final_bn(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def main():
    torch.manual_seed(3)
    gen = torch.Generator().manual_seed(5)
    model = UserNet()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=gen))
                m.bias.copy_(0.2 * torch.randn(c, generator=gen))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(c, generator=gen))
    model.eval()
    x = torch.randn(2, 3, 16, 16, generator=gen)
    onnx_path = ROOT / "testdata" / "onnx" / "user_resnet.onnx"
    torch.onnx.export(model, x, str(onnx_path), opset_version=17, input_names=["image"], output_names=["scores"],
                      dynamic_axes={"image": {0: "batch"}, "scores": {0: "batch"}})
    # the tracing forward pass of a train-mode export updates BN running statistics: export a copy whose
    # momentum is 0 for the trace, then restore torch's default 0.1 in the file's attribute (ONNX 0.9)
    copy = deepcopy(model).train()
    for m in copy.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.0
    bn_path = ROOT / "testdata" / "onnx" / "user_resnet_bn.onnx"
    torch.onnx.export(copy, x, str(bn_path), opset_version=17,
                      input_names=["image"], output_names=["scores"], dynamic_axes={"image": {0: "batch"},
                      "scores": {0: "batch"}}, training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)
    exported = onnx.load(str(bn_path))
    for node in exported.graph.node:
        for a in node.attribute:
            if node.op_type == "BatchNormalization" and a.name == "momentum":
                a.f = 0.9
    onnx.save(exported, str(bn_path))
    w = FixtureWriter()
    w.add("x", x)
    with torch.no_grad():
        w.add("logits", model.double()(x.double()))
    w.write(str(ROOT / "testdata" / "fixtures" / "user_resnet_eval.bin"), {"torch": torch.__version__})


if __name__ == "__main__":
    main()
