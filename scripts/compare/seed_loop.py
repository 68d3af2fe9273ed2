#!/usr/bin/env python3
"""Python side of scripts/compare-pipeline: the seeds' loop, as its users run
it today, timed on a video file. Per frame: cv2.VideoCapture read, gray,
Haar detectMultiScale (scale factor 1.3, 5 neighbours, the seeds' settings),
and per face a 48x48 crop and a Keras `model.predict` of the seeds' 4-block
CNN (seed4 from tf_train_bench.py, random weights: weights do not change
speed), then the box and label drawn. No window and no frame pacing: as fast as
it goes. Prints one JSON object. Not the product: a yardstick."""

import argparse
import json
import os
import sys
import time

EMOTIONS = ["Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--source", required=True, help="video file")
    ap.add_argument("--cascade", default="/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
    ap.add_argument("--predict", choices=["keras", "call"], default="keras",
                    help="keras: model.predict per face, as the seeds do; call: model(x) (faster Keras path)")
    args = ap.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import cv2
        import numpy as np
        import tensorflow as tf
    except ImportError as e:
        print(f"seed_loop: {e}; run it as scripts/compare-pipeline does, with .venv/bin/python; `scripts/setup --python tensorflow-cpu 'opencv-python-headless<5'` installs them there", file=sys.stderr)
        return 69
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from tf_train_bench import build  # the same Keras rebuild of seed4 the training comparison uses

    if not os.path.isfile(args.source):
        print(f"seed_loop: video file '{args.source}' does not exist", file=sys.stderr)
        return 66
    cascade = cv2.CascadeClassifier(args.cascade)
    if cascade.empty():
        print(f"seed_loop: cannot load cascade '{args.cascade}' (apt-get install opencv-data)", file=sys.stderr)
        return 78
    tf.keras.utils.set_random_seed(1)
    model = build(tf, "seed4")
    warm = np.zeros((1, 48, 48, 1), dtype=np.float32)  # (N, H, W, C)
    model.predict(warm, verbose=0)  # the first call traces the graph; not timed

    cap = cv2.VideoCapture(args.source)
    if not cap.isOpened():
        print(f"seed_loop: OpenCV cannot read '{args.source}'", file=sys.stderr)
        return 66
    frames = faces = 0
    detect_s = classify_s = 0.0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    while True:
        ok, frame = cap.read()  # (H, W, 3) BGR
        if not ok:
            break
        frames += 1
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        td = time.perf_counter()
        boxes = cascade.detectMultiScale(gray, scaleFactor=1.3, minNeighbors=5)
        tc = time.perf_counter()
        detect_s += tc - td
        for (x, y, w, h) in boxes:
            roi = cv2.resize(gray[y:y + h, x:x + w], (48, 48)).astype(np.float32) / 255.0
            roi = roi[np.newaxis, :, :, np.newaxis]  # (1, 48, 48, 1)
            probs = model.predict(roi, verbose=0) if args.predict == "keras" else model(roi, training=False).numpy()
            label = EMOTIONS[int(np.argmax(probs[0]))]
            cv2.rectangle(frame, (x, y), (x + w, y + h), (255, 0, 0), 2)
            cv2.putText(frame, label, (x, y - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (36, 255, 12), 2)
            faces += 1
        classify_s += time.perf_counter() - tc
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    if frames == 0:
        print(f"seed_loop: no frames read from '{args.source}'", file=sys.stderr)
        return 66
    print(json.dumps({
        "benchmark": "pipeline", "runtime": "python-seed-loop", "predict": args.predict,
        "opencv": cv2.__version__, "tensorflow": tf.__version__,
        "frames": frames, "faces": faces, "seconds": wall, "fps": frames / wall,
        "detect_ms_per_frame": detect_s * 1000 / frames,
        "classify_ms_per_face": classify_s * 1000 / max(faces, 1),
        "cpu_seconds": cpu, "cores_used": cpu / wall,
    }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
