#!/usr/bin/python3
"""Reference Vision Transformer for VisionTransformerTest, written here in timm's VisionTransformer layout and
parameter names (timm is not installed): patch_embed.proj (conv, kernel = stride = patch), cls_token, pos_embed,
blocks.i.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}, norm, head; pre-norm blocks, exact GELU, LayerNorm
eps 1e-6, qkv bias, no dropout.

  counts      print the parameter counts of DeiT-S and DeiT-T at 224 px, 3 channels, 1000 classes (the numbers
              VisionTransformerTest asserts; timm's deit_small_patch16_224 / deit_tiny_patch16_224)
  fixture OUT one SGD step of a small ViT (width 32, depth 2, 2 heads, patch 4) on a batch of 4 3x16x16 images,
              10 classes: initial state, batch, loss, logits, every parameter gradient and every parameter after
              the step

Initial values are float32-representable (LayerNorm affine parameters randomised so every gradient path is
exercised); the reference is computed in float64. Output format: see fixture_format.py.

Run: /usr/bin/python3 tools/make_vit_fixture.py fixture testdata/fixtures/vit_small_sgd.bin
"""
import math
import sys

import torch
from torch import nn
import torch.nn.functional as F

from fixture_format import FixtureWriter

BATCH, CHANNELS, SIZE, CLASSES = 4, 3, 16, 10
WIDTH, DEPTH, HEADS, PATCH, MLP_RATIO = 32, 2, 2, 4, 4
LR, MOMENTUM, WEIGHT_DECAY = 0.1, 0.9, 1e-4
NORM_EPS = 1e-6


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)

    def forward(self, x):
        n, t, d = x.shape
        q, k, v = self.qkv(x).reshape(n, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q * (d // self.heads) ** -0.5) @ k.transpose(-2, -1)
        return self.proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(n, t, d))


class Mlp(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x):
        h = self.fc1(x)
        return self.fc2(h * 0.5 * (1 + torch.erf(h / math.sqrt(2))))


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(width, eps=NORM_EPS)
        self.attn = Attention(width, heads)
        self.norm2 = nn.LayerNorm(width, eps=NORM_EPS)
        self.mlp = Mlp(width, MLP_RATIO * width)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, channels, width, patch):
        super().__init__()
        self.proj = nn.Conv2d(channels, width, patch, patch)


class VisionTransformer(nn.Module):
    def __init__(self, channels, size, width, depth, heads, patch, classes):
        super().__init__()
        self.patch_embed = PatchEmbed(channels, width, patch)
        self.cls_token = nn.Parameter(0.02 * torch.randn(1, 1, width))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, 1 + (size // patch) ** 2, width))
        self.blocks = nn.Sequential(*[Block(width, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(width, eps=NORM_EPS)
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        tokens = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), tokens], 1) + self.pos_embed
        return self.head(self.norm(self.blocks(tokens))[:, 0])


def counts():
    for name, width, heads in (("deit-s", 384, 6), ("deit-t", 192, 3)):
        model = VisionTransformer(3, 224, width, 12, heads, 16, 1000)
        print(name, sum(p.numel() for p in model.parameters()))


def fixture(path):
    torch.manual_seed(20261208)
    gen = torch.Generator().manual_seed(4321)
    model = VisionTransformer(CHANNELS, SIZE, WIDTH, DEPTH, HEADS, PATCH, CLASSES)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.copy_(0.5 + torch.rand(WIDTH, generator=gen))
                m.bias.copy_(0.2 * torch.randn(WIDTH, generator=gen))
        # float32 initial values, then float64 arithmetic for the reference
        for p in model.parameters():
            p.copy_(p.float())
    model = model.double().train()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY, nesterov=False)

    w = FixtureWriter()
    for name, p in model.named_parameters():
        w.add("init." + name, p)
    x = torch.randn(BATCH, CHANNELS, SIZE, SIZE, generator=gen).float()
    y = torch.randint(0, CLASSES, (BATCH,), generator=gen)
    w.add("x", x)
    w.add("y", y)
    logits = model(x.double())
    loss = F.cross_entropy(logits, y)
    loss.backward()
    w.add("loss", loss)
    w.add("logits", logits)
    for name, p in model.named_parameters():
        w.add("grad." + name, p.grad)
    opt.step()
    for name, p in model.named_parameters():
        w.add("next." + name, p)
    meta = {"batch": BATCH, "channels": CHANNELS, "size": SIZE, "classes": CLASSES, "width": WIDTH, "depth": DEPTH,
            "heads": HEADS, "patch": PATCH, "lr": LR, "momentum": MOMENTUM, "weight_decay": WEIGHT_DECAY,
            "nesterov": False, "torch": torch.__version__}
    w.write(path, meta)


if __name__ == "__main__":
    if sys.argv[1:] == ["counts"]:
        counts()
    elif len(sys.argv) == 3 and sys.argv[1] == "fixture":
        fixture(sys.argv[2])
    else:
        sys.exit(__doc__)
