// Where the model is looked for, and the errors when it is not there or broken.
import Foundation
import Testing
@testable import FERCam

@Suite struct ModelLocatorTests {
    @Test func candidatesInOrder() {
        #expect(ModelLocator.candidates(flag: "x.safetensors", packageRoot: "/p", currentDirectory: "/c") == ["x.safetensors"])
        #expect(ModelLocator.candidates(flag: nil, packageRoot: "/p", currentDirectory: "/c")
            == ["/p/models/emotion-cnn.safetensors", "/c/models/emotion-cnn.safetensors"])
        #expect(ModelLocator.candidates(flag: nil, packageRoot: nil, installedData: "/usr/local/share/fer-cam", currentDirectory: "/c")
            == ["/usr/local/share/fer-cam/models/emotion-cnn.safetensors", "/c/models/emotion-cnn.safetensors"])
    }

    @Test func installedDataSitsBesideTheBinDirectory() {
        #expect(ModelLocator.installedDataDirectory(executable: "/usr/local/bin/fer-cam") == "/usr/local/share/fer-cam")
    }

    @Test func missingModelNamesThePathAndTheFix() {
        do { _ = try ModelLocator.resolve(flag: nil, packageRoot: "/nonexistent-p", currentDirectory: "/nonexistent-c"); Issue.record("no error") } catch {
            #expect(error.exitCode == 66)
            #expect(error.message.contains("/nonexistent-p/models/emotion-cnn.safetensors"))
            #expect(error.message.contains("fer-train"))
        }
    }

    @Test func garbageModelFileIsAConfigurationError() throws {
        let path = NSTemporaryDirectory() + "fercam-bad-\(UUID().uuidString).safetensors"
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do { _ = try EmotionModel.read(path: path); Issue.record("no error") } catch { #expect(error.exitCode == 78) }
    }

    @Test func packageRootIsFoundAboveTheBuildFolder() {
        #expect(ModelLocator.packageRoot(executable: TestPaths.packageRoot + "/.build/release/fer-cam") == TestPaths.packageRoot)
    }
}
