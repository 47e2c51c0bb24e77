#!/usr/bin/env python3
"""Writes the Fashion-MNIST subset bundled in testdata/fashion-mnist.

Source: Debian's dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist, MIT licence,
Zalando SE). Takes the first TRAIN images of the training set and the first TEST of the test set,
a class-balanced stratified pick so every class has the same count, and writes them back as gzipped
IDX files with the same names, so the bundled data and the full data set read through one code path.
"""
import argparse
import gzip
import os
import struct

SRC = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return magic, dims, data[4 + 4 * ndim:]


def write_idx(path, magic, dims, payload):
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * len(dims), *dims)
    # mtime=0 keeps the output byte-identical between runs.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(header + payload)


def subset(prefix, per_class, out_dir):
    mi, dims, images = read_idx(os.path.join(SRC, prefix + "-images-idx3-ubyte.gz"))
    ml, _, labels = read_idx(os.path.join(SRC, prefix + "-labels-idx1-ubyte.gz"))
    size = dims[1] * dims[2]
    counts = [0] * 10
    picked = []
    for i, lab in enumerate(labels):
        if counts[lab] < per_class:
            counts[lab] += 1
            picked.append(i)
        if len(picked) == per_class * 10:
            break
    img = b"".join(images[i * size:(i + 1) * size] for i in picked)
    lab = bytes(labels[i] for i in picked)
    write_idx(os.path.join(out_dir, prefix + "-images-idx3-ubyte.gz"), mi, (len(picked), dims[1], dims[2]), img)
    write_idx(os.path.join(out_dir, prefix + "-labels-idx1-ubyte.gz"), ml, (len(picked),), lab)
    print(prefix, len(picked), "images")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "testdata", "fashion-mnist"))
    p.add_argument("--train-per-class", type=int, default=600)
    p.add_argument("--test-per-class", type=int, default=100)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    subset("train", a.train_per_class, a.out)
    subset("t10k", a.test_per_class, a.out)
