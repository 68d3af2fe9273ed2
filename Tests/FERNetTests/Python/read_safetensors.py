#!/usr/bin/env python3
"""Opens a safetensors file with the `safetensors` package (PyPI) and prints
JSON: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "values"}}}.
Used by ModelIOPythonTests to check that our writer is readable by the
reference implementation. Usage: read_safetensors.py FILE"""
import json
import sys

from safetensors import safe_open

path = sys.argv[1]
out = {"tensors": {}}
with safe_open(path, framework="np") as f:
    out["metadata"] = f.metadata()
    for name in f.keys():
        a = f.get_tensor(name)
        out["tensors"][name] = {
            "dtype": str(a.dtype),
            "shape": list(a.shape),
            # float32 -> Python float is exact; repr round-trips.
            "values": [float(v) for v in a.reshape(-1)],
        }
json.dump(out, sys.stdout)
