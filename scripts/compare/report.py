#!/usr/bin/env python3
"""Report of scripts/compare-runtimes: reads the four JSON results (ours and
onnxruntime inference, ours and TensorFlow training; a missing or empty file
means that side was skipped), prints a table, the ratios and the issue's two
targets, then one JSON object on the last line. Measures nothing itself."""

import argparse
import json
import sys


def load(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1]) if text else None
    except (OSError, ValueError, IndexError):
        return None


def ratio(a, b):
    return a / b if a and b else None


def fmt(v, spec=".2f"):
    return "-" if v is None else format(v, spec)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    for name in ("ours-inference", "ort", "ours-train", "tf"):
        ap.add_argument(f"--{name}", required=True)
    ap.add_argument("--arch", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--tf-note", default="")
    args = ap.parse_args()
    ours_i, ort, ours_t, tf = (load(p) for p in (args.ours_inference, args.ort, args.ours_train, args.tf))
    g = lambda d, k: d.get(k) if d else None

    print(f"\nInference, {args.arch}, {args.threads} thread(s), same ONNX-exported weights")
    print(f"{'':28}{'fer-cam':>12}{'onnxruntime':>14}{'ours/ort':>10}")
    rows = [("batch-1 latency median ms", "latency_ms_median", True), ("batch-1 latency p99 ms", "latency_ms_p99", True),
            ("batch-8 faces/s", "faces_per_s_batch8", False), ("batch-32 faces/s", "faces_per_s_batch32", False)]
    for label, key, _ in rows:
        a, b = g(ours_i, key), g(ort, key)
        print(f"{label:28}{fmt(a):>12}{fmt(b):>14}{fmt(ratio(a, b), '.3f'):>10}")
    print(f"BLAS core: fer-cam {g(ours_i, 'blas_core') or '-'}; onnxruntime uses its own MLAS kernels "
          f"(version {g(ort, 'version') or '-'})")

    print(f"\nTraining, {args.arch}, batch {g(ours_t, 'batch') or 64}, {g(ours_t, 'threads') or 2} threads, random inputs")
    print(f"{'':28}{'fer-cam':>12}{'tensorflow':>14}{'ours/tf':>10}")
    for label, key in (("images/s (median batch)", "images_per_s"), ("images per CPU-second", "images_per_cpu_s"),
                       ("median batch ms", "median_batch_ms"), ("parameters", "parameters")):
        a, b = g(ours_t, key), g(tf, key)
        spec = ".0f" if key == "parameters" else ".2f"
        print(f"{label:28}{fmt(a, spec):>12}{fmt(b, spec):>14}{fmt(ratio(a, b), '.3f'):>10}")
    print("(Keras counts BatchNorm moving mean/variance as parameters: 2 per BN channel more than ours)")
    print(f"BLAS core: fer-cam {g(ours_t, 'blas_core') or '-'}; TensorFlow uses oneDNN/Eigen "
          f"(version {g(tf, 'version') or '-'}){' - ' + args.tf_note if args.tf_note else ''}")

    lat = ratio(g(ours_i, "latency_ms_median"), g(ort, "latency_ms_median"))
    thr = ratio(g(ours_t, "images_per_s"), g(tf, "images_per_s"))
    verdict = lambda r, ok: "not measured" if r is None else ("met" if ok(r) else "MISSED")
    print(f"\nTarget 1, per-face latency <= onnxruntime's: ours/ort = {fmt(lat, '.3f')} -> {verdict(lat, lambda r: r <= 1)}")
    print(f"Target 2, training throughput >= TensorFlow's: ours/tf = {fmt(thr, '.3f')} -> {verdict(thr, lambda r: r >= 1)}")
    print(json.dumps({
        "comparison": "runtimes", "arch": args.arch, "threads": args.threads,
        "latency_ratio_ours_over_ort": lat, "train_ratio_ours_over_tf": thr,
        "latency_target_met": None if lat is None else lat <= 1, "train_target_met": None if thr is None else thr >= 1,
        "ours_inference": ours_i, "onnxruntime": ort, "ours_train": ours_t, "tensorflow": tf,
        "tensorflow_note": args.tf_note or None,
    }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
