"""Writes testdata/resize_torch.json: PyTorch F.interpolate outputs that the ONNX Resize modes used by
automix-onnx must reproduce (nearest = asymmetric/floor, bilinear = half_pixel or align_corners).

Run with Debian's python (torch 1.13): /usr/bin/python3 tools/resize_reference.py
"""
import json
import pathlib

import torch
import torch.nn.functional as F

# (torch mode, align_corners, input h, w, output h, w, pass as scale_factor?)
CASES = [
    ("nearest", None, 3, 3, 12, 12, True),
    ("nearest", None, 3, 5, 8, 7, False),
    ("nearest", None, 8, 6, 3, 4, False),
    ("bilinear", False, 4, 3, 8, 6, True),
    ("bilinear", False, 3, 3, 8, 8, False),
    ("bilinear", False, 8, 7, 3, 3, False),
    ("bilinear", True, 4, 3, 8, 6, True),
    ("bilinear", True, 3, 4, 8, 9, False),
]


def main():
    gen = torch.Generator().manual_seed(0)
    out = []
    for mode, align, h, w, ho, wo, by_scale in CASES:
        x = torch.randn(1, 2, h, w, generator=gen)
        kwargs = {"mode": mode}
        if align is not None:
            kwargs["align_corners"] = align
        if by_scale:
            y = F.interpolate(x, scale_factor=(ho / h, wo / w), **kwargs)
        else:
            y = F.interpolate(x, size=(ho, wo), **kwargs)
        assert tuple(y.shape[2:]) == (ho, wo)
        out.append({
            "mode": mode, "align_corners": bool(align), "h": h, "w": w, "ho": ho, "wo": wo,
            "x": x.flatten().tolist(), "y": y.flatten().tolist(),
        })
    path = pathlib.Path(__file__).resolve().parent.parent / "testdata" / "resize_torch.json"
    path.write_text(json.dumps({"torch": torch.__version__, "cases": out}, indent=1) + "\n")
    print("wrote", path, len(out), "cases")


if __name__ == "__main__":
    main()
