// swift-tools-version:6.0
// fer-cam: webcam → Haar faces → Swift CNN emotions → events, window, stream.
// Module graph (see README "Architecture"):
//   CBLAS, COpenCV, CV4L2      native shims (no logic of ours)
//   FERNet                     CNN engine; CBLAS only
//   FERVision                  Swift wrappers over COpenCV + the one face preprocessing
//   FERTraining                datasets, augmentation, training loop, evaluation
//   FERCam                     frame sources, detection, tracking, sinks
//   fer-cam, fer-train, fer-bench   executables: argument parsing and wiring only
import PackageDescription

let opencvLibraries: [LinkerSetting] = [
    "opencv_core", "opencv_imgproc", "opencv_imgcodecs",
    "opencv_objdetect", "opencv_videoio", "opencv_highgui",
].map { .linkedLibrary($0) }

let package = Package(
    name: "fer-cam",
    products: [
        .executable(name: "fer-cam", targets: ["fer-cam"]),
        .executable(name: "fer-train", targets: ["fer-train"]),
        .executable(name: "fer-bench", targets: ["fer-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // OpenBLAS's cblas.h as a system library.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // C++ shim over OpenCV with a plain C header; exceptions never cross it.
        .target(
            name: "COpenCV",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
            linkerSettings: opencvLibraries
        ),
        // C shim over libv4l2 (mmap streaming).
        .target(name: "CV4L2", linkerSettings: [.linkedLibrary("v4l2")]),

        .target(name: "FERNet", dependencies: ["CBLAS"]),
        .target(name: "FERVision", dependencies: ["COpenCV", "FERNet"]),
        .target(name: "FERTraining", dependencies: [
            "FERNet", "FERVision",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "FERCam", dependencies: [
            "FERNet", "FERVision", "CV4L2",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "fer-cam", dependencies: [
            "FERCam",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "fer-train", dependencies: [
            "FERTraining",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "fer-bench", dependencies: [
            "FERNet", "FERVision", "FERTraining", "FERCam",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "FERNetTests", dependencies: ["FERNet"], exclude: ["Python", "Reference"]),  // helper scripts the tests run
        .testTarget(name: "FERVisionTests", dependencies: ["FERVision"]),
        .testTarget(name: "FERTrainingTests", dependencies: ["FERTraining"]),
        .testTarget(name: "FERCamTests", dependencies: ["FERCam"]),
    ],
    cxxLanguageStandard: .cxx17
)
