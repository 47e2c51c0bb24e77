#!/usr/bin/python3
"""Exports a tiny conv net with torch.onnx.export (opset 17) as a reference fixture for OnnxIOTest.

Run with Debian's /usr/bin/python3 (torch 1.13):  /usr/bin/python3 tools/make_onnx_fixture.py
Writes testdata/onnx/tiny_convnet.onnx and testdata/onnx/tiny_convnet.json (a fixed input and the
logits torch computed for it, so the Java side can check that ORT runs the imported model identically).
"""
import json
import pathlib

import torch
import torch.nn as nn

OUT = pathlib.Path(__file__).resolve().parent.parent / "testdata" / "onnx"


class TinyConvNet(nn.Module):
    """conv-bn-relu, max-pool, conv-relu, global average pool, flatten, linear: 3x8x8 -> 5 classes."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 6, 3, padding=1)
        self.fc = nn.Linear(6, 5)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = torch.relu(self.conv2(x))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


def main():
    torch.manual_seed(0)
    model = TinyConvNet()
    # Non-trivial BatchNorm statistics, so that folding or ignoring them would change the logits.
    with torch.no_grad():
        model.bn1.running_mean.uniform_(-0.5, 0.5)
        model.bn1.running_var.uniform_(0.5, 2.0)
    model.eval()
    x = torch.randn(2, 3, 8, 8)
    OUT.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, x, str(OUT / "tiny_convnet.onnx"), opset_version=17,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      do_constant_folding=False)
    with torch.no_grad():
        logits = model(x)
    ref = {"input_shape": list(x.shape), "input": x.flatten().tolist(),
           "logits_shape": list(logits.shape), "logits": logits.flatten().tolist()}
    (OUT / "tiny_convnet.json").write_text(json.dumps(ref))


if __name__ == "__main__":
    main()
