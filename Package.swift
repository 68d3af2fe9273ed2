// swift-tools-version:6.0
// fer-cam: webcam → Haar faces → Swift CNN emotions → events, window, stream.
// Module graph (see README "Architecture"):
//   CBLAS, COpenCV, CV4L2, CMalloc   native shims (no logic of ours)
//   FERNet                     CNN engine; CBLAS only
//   FERVision                  Swift wrappers over COpenCV + the one face preprocessing
//   FERTraining                datasets, augmentation, training loop, evaluation
//   FERCam                     frame sources, detection, tracking, sinks
//   FERSignals                 signals → callbacks on a thread (CSignals: handler + pipe)
//   FERCommandLine             flags the executables share (detection)
//   CMosquitto, FERMQTT        MQTT publishing (libmosquitto shim; topics, queue, discovery, client)
//   FERStreamFeed              the pipeline → stream policy (publish pacing, camera state, counters)
//   CHDF5, FERKeras            Keras .h5/.keras import (HDF5 shim; config, layer and weight conversion)
//   FERHarness                 child processes with a clean signal mask, a local mosquitto (tests, fer-bench)
//   fer-cam, fer-train, fer-bench   executables: argument parsing and wiring only
import PackageDescription

// Linked: what detection and drawing need. OpenCV's imgcodecs and highgui and FFmpeg's
// libav* (video files) are opened on first use (Sources/COpenCV/shim_library.hpp).
let opencvLibraries: [LinkerSetting] = [
    "opencv_core", "opencv_imgproc", "opencv_objdetect",
].map { .linkedLibrary($0) }

let package = Package(
    name: "fer-cam",
    products: [
        .executable(name: "fer-cam", targets: ["fer-cam"]),
        .executable(name: "fer-train", targets: ["fer-train"]),
        .executable(name: "fer-bench", targets: ["fer-bench"]),
        // For Fuzz/Package.swift (a separate package that depends on this one by path).
        .library(name: "FERNet", targets: ["FERNet"]),
        .library(name: "FERTraining", targets: ["FERTraining"]),
        .library(name: "FERCam", targets: ["FERCam"]),
        .library(name: "FERStream", targets: ["FERStream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // OpenBLAS's cblas.h as a system library.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // zlib's zlib.h as a system library (reads .gz datasets; named CGzip, since ZIPFoundation defines a CZlib module).
        .systemLibrary(name: "CGzip", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // C++ shim over OpenCV (and FFmpeg for video files) with a plain C header; exceptions never cross it.
        .target(
            name: "COpenCV",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
            linkerSettings: opencvLibraries
        ),
        // C shim over libv4l2 (mmap streaming).
        .target(name: "CV4L2", linkerSettings: [.linkedLibrary("v4l2")]),
        // C view of libmosquitto (Debian's libmosquitto-dev); no MQTT code of ours.
        .target(name: "CMosquitto", linkerSettings: [.linkedLibrary("mosquitto")]),
        // C view of the HDF5 reads a Keras file needs (Debian's libhdf5-dev, serial); no Keras logic.
        .target(
            name: "CHDF5",
            cSettings: [.unsafeFlags(["-I/usr/include/hdf5/serial"])],
            linkerSettings: [.linkedLibrary("hdf5_serial")]
        ),
        // Signals → a pipe (sigaction handler); FERSignals reads it on a thread.
        .target(name: "CSignals"),
        // glibc's malloc.h (malloc_trim), which Swift's Glibc module leaves out.
        .target(name: "CMalloc"),
        .target(name: "FERSignals", dependencies: ["CSignals"]),

        // Packed-weight SGEMM for inference (AVX-512 / AVX2 / plain C, chosen at run time).
        .target(name: "CGEMM"),
        .target(name: "FERNet", dependencies: ["CBLAS", "CGEMM"]),
        .target(name: "FERVision", dependencies: ["COpenCV", "FERNet"]),
        .target(name: "FERTraining", dependencies: [
            "FERNet", "FERVision", "CGzip",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "FERCam", dependencies: [
            "FERNet", "FERVision", "CV4L2", "FERSignals", "CMalloc",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // MQTT: URL, topics, bounded queue, state and Home Assistant discovery payloads, the client.
        .target(name: "FERMQTT", dependencies: [
            "CMosquitto", "FERCam", "FERNet",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // HTTP overlay stream (MJPEG, page, SSE, metrics, health); never depends on FERCam.
        .target(name: "FERStream", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The pipeline's side of the HTTP stream: what to publish when, the camera state, counters.
        .target(name: "FERStreamFeed", dependencies: [
            "FERCam", "FERStream", "FERVision", "FERNet",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Keras .h5 / .keras → fer-cam model files (fer-train import).
        .target(name: "FERKeras", dependencies: [
            "FERNet", "CHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),

        // Tools for tests and benchmarks: posix_spawn with a clean signal mask, a throwaway mosquitto.
        .target(name: "FERHarness"),

        // Flags shared by the executables (parsing only; the values are FERCam's).
        .target(name: "FERCommandLine", dependencies: [
            "FERCam", "FERVision",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "fer-cam", dependencies: [
            "FERCam", "FERStream", "FERStreamFeed", "FERCommandLine", "FERMQTT",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "fer-train", dependencies: [
            "FERTraining", "FERSignals", "FERKeras",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "fer-bench", dependencies: [
            "FERNet", "FERVision", "FERTraining", "FERCam", "FERStream", "FERCommandLine", "FERHarness",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "FERNetTests", dependencies: ["FERNet"], exclude: ["Python", "Reference"]),  // helper scripts the tests run
        .testTarget(name: "FERVisionTests", dependencies: ["FERVision"]),
        .testTarget(name: "FERTrainingTests", dependencies: ["FERTraining"]),
        .testTarget(name: "FERCamTests", dependencies: ["FERCam", "FERHarness"]),
        .testTarget(name: "FERSignalsTests", dependencies: ["FERSignals"]),
        .testTarget(name: "FERMQTTTests", dependencies: [
            "FERMQTT", "FERCam", "FERVision", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "FERStreamFeedTests", dependencies: [
            "FERStreamFeed", "FERCam", "FERStream", "FERMQTT", "FERVision", "FERNet",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "FERKerasTests", dependencies: ["FERKeras", "FERNet", "FERTraining", "FERVision", "FERHarness"],
                    exclude: ["Python"]),  // the h5py helper the refusal tests run
        .testTarget(name: "FERStreamTests", dependencies: [
            "FERStream", .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    cxxLanguageStandard: .cxx17
)
