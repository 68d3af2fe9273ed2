#!/usr/bin/env python3
"""Validates an ONNX file with onnx.checker (full check, with shape inference),
then runs it with onnxruntime on random inputs for two batch sizes. Prints
JSON: ir_version, opsets, op types, metadata, input/output shapes and the
output shape and row sums per batch size. Usage: check_onnx.py MODEL.onnx"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort

path = sys.argv[1]
model = onnx.load(path)
onnx.checker.check_model(model, full_check=True)


def dims(value_info):
    return [d.dim_param if d.dim_param else d.dim_value for d in value_info.type.tensor_type.shape.dim]


session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
input_shape = dims(model.graph.input[0])[1:]
runs = {}
rng = np.random.default_rng(0)
for n in (1, 3):
    x = rng.standard_normal([n] + input_shape).astype(np.float32)
    (y,) = session.run(None, {model.graph.input[0].name: x})
    runs[str(n)] = {"shape": list(y.shape), "row_sums": [float(s) for s in y.sum(axis=1)]}

json.dump({
    "ir_version": model.ir_version,
    "opsets": {o.domain: o.version for o in model.opset_import},
    "ops": [n.op_type for n in model.graph.node],
    "metadata": {p.key: p.value for p in model.metadata_props},
    "inputs": {i.name: dims(i) for i in model.graph.input},
    "outputs": {o.name: dims(o) for o in model.graph.output},
    "initializers": sorted(t.name for t in model.graph.initializer),
    "runs": runs,
}, sys.stdout)
