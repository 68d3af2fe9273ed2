#!/usr/bin/env python3
"""onnxruntime side of scripts/compare-runtimes: batch-1 latency (median, p99)
and batch-8/32 throughput of an exported fer-cam ONNX model, timed the way
`fer-bench inference` times the engine (20 warm-up calls, N timed calls at
batch 1; per batch size one warm-up call and max(5, N/batch) timed calls, the
median). Prints one JSON object. Does not export or build anything."""

import argparse
import json
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--onnx", required=True, help="ONNX model from `fer-train export`")
    ap.add_argument("--threads", type=int, default=1, help="intra-op threads (inter-op is 1)")
    ap.add_argument("--iterations", type=int, default=300, help="timed calls at batch 1")
    args = ap.parse_args()
    try:
        import numpy as np
        import onnxruntime as ort
    except ImportError as e:
        print(f"ort_bench: {e}; install with `scripts/setup --tests` (pip: onnxruntime numpy)", file=sys.stderr)
        return 69

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(args.onnx, sess_options=opts, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    out_name = sess.get_outputs()[0].name
    face_shape = [d if isinstance(d, int) else 1 for d in inp.shape[1:]]  # (C, H, W)
    rng = np.random.default_rng(2)
    batch32 = rng.standard_normal([32] + face_shape, dtype=np.float32)  # (32, C, H, W)
    feeds = {b: {inp.name: np.ascontiguousarray(batch32[:b])} for b in (1, 8, 32)}

    def timed(b: int) -> float:
        t0 = time.perf_counter_ns()
        sess.run([out_name], feeds[b])
        return (time.perf_counter_ns() - t0) / 1e9

    for _ in range(20):
        timed(1)
    cpu0 = time.process_time()
    single = sorted(timed(1) for _ in range(args.iterations))
    cpu_per_face = (time.process_time() - cpu0) / args.iterations
    median = single[len(single) // 2]
    p99 = single[min(len(single) - 1, len(single) * 99 // 100)]
    throughput = {}
    for b in (8, 32):
        timed(b)
        ts = sorted(timed(b) for _ in range(max(5, args.iterations // b)))
        throughput[b] = b / ts[len(ts) // 2]
    print(json.dumps({
        "benchmark": "inference", "runtime": "onnxruntime", "version": ort.__version__,
        "model": args.onnx, "threads": args.threads, "iterations": args.iterations,
        "latency_ms_median": median * 1000, "latency_ms_p99": p99 * 1000,
        "cpu_ms_per_face_batch1": cpu_per_face * 1000,
        "faces_per_s_batch1": 1 / median, "faces_per_s_batch8": throughput[8], "faces_per_s_batch32": throughput[32],
        "unit": "ms per face",
    }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
