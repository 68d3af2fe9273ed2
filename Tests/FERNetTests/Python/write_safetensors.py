#!/usr/bin/env python3
"""Writes a safetensors file with the `safetensors` package (PyPI) from a JSON
description on stdin: {"metadata": {...}, "tensors": {name: {"shape", "values"}}}
(float32). Used by ModelIOPythonTests to check that our reader accepts files
written by the reference implementation. Usage: write_safetensors.py OUT < JSON"""
import json
import sys

import numpy as np
from safetensors.numpy import save_file

spec = json.load(sys.stdin)
tensors = {
    name: np.asarray(t["values"], dtype=np.float32).reshape(t["shape"])
    for name, t in spec["tensors"].items()
}
save_file(tensors, sys.argv[1], metadata=spec["metadata"])
