#!/usr/bin/env python3
"""TensorFlow side of scripts/compare-runtimes: training images/s of the same
architecture as the engine's (Sources/FERNet/Model/Architectures.swift),
rebuilt in Keras, timed with `train_on_batch` on random 48x48 inputs (softmax
cross-entropy with label smoothing 0.1, SGD momentum 0.9 Nesterov), median
batch time after warm-up, the way `fer-bench train` times the engine. Prints
one JSON object. Layout is NHWC (Keras CPU default); the flatten order differs
from ours (C,H,W), which does not change the work done."""

import argparse
import json
import os
import sys
import time

# Mirror of Architectures.swift: ("conv", out) = conv3x3 pad 1 + BN + ReLU.
ARCHS = {
    "seed4": [("conv", 32), ("pool",), ("conv", 64), ("pool",), ("conv", 128), ("pool",),
              ("conv", 256), ("pool",), ("flatten",), ("dropout", 0.5), ("dense", 128),
              ("relu",), ("dropout", 0.5), ("dense", 7)],
    "fer-vgg": [("conv", 32), ("conv", 32), ("pool",), ("conv", 64), ("conv", 64), ("pool",),
                ("conv", 128), ("conv", 128), ("conv", 128), ("pool",),
                ("conv", 256), ("conv", 256), ("conv", 256), ("pool",),
                ("flatten",), ("dropout", 0.5), ("dense", 256), ("bn",), ("relu",),
                ("dropout", 0.5), ("dense", 7)],
}


def build(tf, arch: str):
    L = tf.keras.layers
    bn = lambda: L.BatchNormalization(epsilon=1e-5, momentum=0.9)  # ours: momentum 0.1
    layers = [tf.keras.Input(shape=(48, 48, 1))]  # (N, H, W, C)
    for spec in ARCHS[arch]:
        kind = spec[0]
        if kind == "conv":
            layers += [L.Conv2D(spec[1], 3, padding="same", use_bias=True), bn(), L.ReLU()]
        elif kind == "pool":
            layers.append(L.MaxPooling2D(2))
        elif kind == "flatten":
            layers.append(L.Flatten())
        elif kind == "dropout":
            layers.append(L.Dropout(spec[1]))
        elif kind == "dense":
            layers.append(L.Dense(spec[1]))
        elif kind == "bn":
            layers.append(bn())
        elif kind == "relu":
            layers.append(L.ReLU())
    model = tf.keras.Sequential(layers)
    model.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),
        loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
    )
    return model


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--arch", default="fer-vgg", choices=sorted(ARCHS))
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads (inter-op is 1)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--iterations", type=int, default=10, help="timed batches")
    ap.add_argument("--warmup", type=int, default=3, help="untimed batches (the first one traces the graph)")
    args = ap.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import numpy as np
        import tensorflow as tf
    except ImportError as e:
        print(f"tf_train_bench: {e}; run it with .venv/bin/python; `scripts/setup --python tensorflow-cpu` installs it there", file=sys.stderr)
        return 69
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.keras.utils.set_random_seed(1)
    model = build(tf, args.arch)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((args.batch, 48, 48, 1), dtype=np.float32)  # (N, H, W, C)
    y = np.eye(7, dtype=np.float32)[rng.integers(0, 7, args.batch)]  # (N, 7) one-hot
    for _ in range(args.warmup):
        model.train_on_batch(x, y)
    times = []
    cpu0 = time.process_time()
    for _ in range(args.iterations):
        t0 = time.perf_counter_ns()
        model.train_on_batch(x, y)
        times.append((time.perf_counter_ns() - t0) / 1e9)
    cpu_per_batch = (time.process_time() - cpu0) / args.iterations
    times.sort()
    median = times[len(times) // 2]
    print(json.dumps({
        "benchmark": "train", "runtime": "tensorflow-cpu", "version": tf.__version__, "arch": args.arch,
        "batch": args.batch, "threads": args.threads, "iterations": args.iterations,
        "parameters": int(model.count_params()), "median_batch_ms": median * 1000,
        "images_per_s": args.batch / median, "best_images_per_s": args.batch / times[0],
        "cpu_ms_per_batch": cpu_per_batch * 1000, "images_per_cpu_s": args.batch / cpu_per_batch,
        "unit": "images/s",
    }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
