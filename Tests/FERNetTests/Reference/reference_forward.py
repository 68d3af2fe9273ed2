#!/usr/bin/env python3
"""Independent NumPy forward pass for the FERNet parity tests.

Usage: reference_forward.py DIR. Reads DIR/manifest.json (input, layers, weights as
raw little-endian float32 files named in it), computes the forward pass in float64
with NumPy, and writes DIR/output.bin (float32, row-major (N, classes)). Written from
the layer definitions (PyTorch semantics), not from the Swift code.
"""
import json
import os
import sys

import numpy as np


def load(d, name, shape):
    return np.fromfile(os.path.join(d, name), dtype="<f4").astype(np.float64).reshape(shape)


def conv2d(x, w, b, stride, pad):
    n, c, h, wd = x.shape
    cout, _, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))  # (n, c, H', W', k, k)
    win = win[:, :, ::stride, ::stride]
    return np.einsum("nchwij,ocij->nohw", win, w) + b[None, :, None, None]


def pool(x, k, s, op):
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s]
    return op(win, axis=(4, 5))


def batchnorm(x, layer, d, training):
    c = layer["channels"]
    gamma, beta = load(d, layer["weight"], (c,)), load(d, layer["bias"], (c,))
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    if training:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
    else:
        mean, var = load(d, layer["mean"], (c,)), load(d, layer["var"], (c,))
    shape = (1, c) if x.ndim == 2 else (1, c, 1, 1)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + layer["eps"]) * gamma.reshape(shape) + beta.reshape(shape)


def main(d):
    m = json.load(open(os.path.join(d, "manifest.json")))
    x = load(d, m["input"], m["input_shape"])
    training = m["training"]
    for layer in m["layers"]:
        t = layer["type"]
        if t == "conv2d":
            w = load(d, layer["weight"], layer["weight_shape"])
            b = load(d, layer["bias"], (layer["weight_shape"][0],))
            x = conv2d(x, w, b, layer["stride"], layer["padding"])
        elif t == "batchnorm":
            x = batchnorm(x, layer, d, training)
        elif t == "relu":
            x = np.maximum(x, 0)
        elif t == "maxpool":
            x = pool(x, layer["kernel"], layer["stride"], np.max)
        elif t == "avgpool":
            x = pool(x, layer["kernel"], layer["stride"], np.mean)
        elif t == "globalavgpool":
            x = x.mean(axis=(2, 3))
        elif t == "flatten":
            x = x.reshape(x.shape[0], -1)
        elif t == "dropout":
            pass  # inference and rate-0 training only
        elif t == "dense":
            w = load(d, layer["weight"], layer["weight_shape"])
            b = load(d, layer["bias"], (layer["weight_shape"][0],))
            x = x @ w.T + b
        else:
            raise SystemExit(f"reference_forward.py: unknown layer type {t}")
    x.astype("<f4").tofile(os.path.join(d, "output.bin"))


if __name__ == "__main__":
    main(sys.argv[1])
