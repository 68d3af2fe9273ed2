// swift-tools-version:6.0
// fer-cam's libFuzzer targets, as a package of their own so the product build
// (../Package.swift) is unchanged. It depends on fer-cam by path and has one
// executable per fuzz target; build and run them with `scripts/fuzz` (it builds
// with `-sanitize=fuzzer,address` into ../.build-fuzz). It ships nothing.
import PackageDescription

let package = Package(
    name: "fer-cam-fuzz",
    dependencies: [
        .package(name: "fer-cam", path: ".."),
    ],
    targets: [
        // Shared by the targets: failing a property, writing seed files.
        .target(name: "FuzzSupport"),
        // safetensors container + fer-cam model metadata (ModelFile.decode).
        .executableTarget(name: "fuzz-model", dependencies: [
            "FuzzSupport", .product(name: "FERNet", package: "fer-cam"),
        ]),
        // The service config file (ConfigFile).
        .executableTarget(name: "fuzz-config", dependencies: [
            "FuzzSupport", .product(name: "FERCam", package: "fer-cam"),
        ]),
        // The FER2013 CSV reader (FER2013CSV.parse).
        .executableTarget(name: "fuzz-csv", dependencies: [
            "FuzzSupport", .product(name: "FERTraining", package: "fer-cam"),
        ]),
        // Raw HTTP requests to a real StreamServer on 127.0.0.1.
        .executableTarget(name: "fuzz-http", dependencies: [
            "FuzzSupport", .product(name: "FERStream", package: "fer-cam"),
        ]),
    ]
)
