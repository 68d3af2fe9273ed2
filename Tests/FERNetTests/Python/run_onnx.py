#!/usr/bin/env python3
"""Runs an ONNX model with onnxruntime (CPU, one thread) on raw float32
inputs and writes the raw float32 outputs. Used by the Swift/ONNX parity test.
Usage: run_onnx.py MODEL.onnx INPUT.f32 N C H W OUTPUT.f32"""
import sys

import numpy as np
import onnxruntime as ort

model, inp, n, c, h, w, out = sys.argv[1:8]
x = np.fromfile(inp, dtype="<f4").reshape(int(n), int(c), int(h), int(w))
options = ort.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
(y,) = session.run(["probabilities"], {"input": x})
y.astype("<f4").tofile(out)
print(f"onnxruntime {ort.__version__}: output {list(y.shape)}", file=sys.stderr)
