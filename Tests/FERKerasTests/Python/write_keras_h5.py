#!/usr/bin/env python3
"""Writes a small legacy-HDF5 Keras file as model.save("x.h5") lays it out, for
the import's refusal tests: the model_config attribute (omitted when the spec's
"model_config" is null), keras_version and backend, and a model_weights group
with one subgroup per layer (weight_names, datasets of seeded random values).
Usage: write_keras_h5.py OUT.h5 SPEC.json
SPEC: {"model_config": {...} | null, "weights": {"layer": {"kernel": [3,3,1,8], ...}}}"""
import json
import sys

import h5py
import numpy as np

out, spec_path = sys.argv[1:3]
with open(spec_path) as f:
    spec = json.load(f)
rng = np.random.default_rng(7)
with h5py.File(out, "w") as h5:
    if spec.get("model_config") is not None:
        h5.attrs["model_config"] = json.dumps(spec["model_config"])
    h5.attrs["keras_version"] = "3.15.1"
    h5.attrs["backend"] = "tensorflow"
    weights = h5.create_group("model_weights")
    for layer, tensors in spec.get("weights", {}).items():
        group = weights.create_group(layer)
        names = []
        for role, shape in tensors.items():
            group.create_dataset(f"{layer}/{role}", data=rng.standard_normal(shape).astype("<f4"))
            names.append(f"{layer}/{role}")
        group.attrs["weight_names"] = np.array(names, dtype=h5py.string_dtype())
