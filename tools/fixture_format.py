"""Writer of the fixture format read by the Java tests (org.automixonnx.testing.FixtureFile).

Little-endian: 8-byte magic b"AMXFIX01", uint32 header length, UTF-8 JSON header
{"meta": {...}, "tensors": [{"name", "dtype" (float32|int64), "shape", "offset"}]}, then the raw tensor bytes
(offsets relative to the end of the header).
"""
import json
import struct


class FixtureWriter:
    def __init__(self):
        self.entries, self.chunks, self.offset = [], [], 0

    def add(self, name, t):
        a = t.detach().cpu().numpy() if hasattr(t, "detach") else t
        a = a.astype("<i8") if a.dtype.kind in "iu" else a.astype("<f4")
        self.entries.append({"name": name, "dtype": "int64" if a.dtype.kind == "i" else "float32",
                             "shape": list(a.shape), "offset": self.offset})
        raw = a.tobytes(order="C")
        self.chunks.append(raw)
        self.offset += len(raw)

    def write(self, path, meta):
        header = json.dumps({"meta": meta, "tensors": self.entries}).encode("utf-8")
        with open(path, "wb") as f:
            f.write(b"AMXFIX01")
            f.write(struct.pack("<I", len(header)))
            f.write(header)
            for c in self.chunks:
                f.write(c)
