// DEVICE / --source parsing and the cheap existence checks.
import Testing
@testable import FERCam

@Suite struct SourceSpecTests {
    @Test func devicesAndSources() throws {
        #expect(try SourceSpec.parse(device: nil, source: nil) == .device("/dev/video0"))
        #expect(try SourceSpec.parse(device: "2", source: nil) == .device("/dev/video2"))
        #expect(try SourceSpec.parse(device: "/dev/video5", source: nil) == .device("/dev/video5"))
        #expect(try SourceSpec.parse(device: nil, source: "test") == .test)
        #expect(try SourceSpec.parse(device: nil, source: "clip.mp4") == .video("clip.mp4"))
        #expect(try SourceSpec.parse(device: nil, source: "a.JPG") == .images("a.JPG"))
        #expect(try SourceSpec.parse(device: nil, source: TestPaths.shared + "/media") == .images(TestPaths.shared + "/media"))
    }

    @Test func badCombinationsAreUsageErrors() {
        for (d, s) in [("0", "test"), ("-1", nil), ("video0", nil)] as [(String?, String?)] {
            do { _ = try SourceSpec.parse(device: d, source: s); Issue.record("accepted \(String(describing: d)) \(String(describing: s))") } catch {
                #expect(error.exitCode == 64)
            }
        }
    }

    @Test func missingThingsAreInputMissing() {
        do { try SourceSpec.device("/dev/video97").precheck(); Issue.record("no error") } catch {
            #expect(error.exitCode == 66)
            #expect(error.message.contains("/dev/video97: no such device; connected cameras:"))
        }
        do { _ = try SourceSpec.parse(device: nil, source: "/nope/file.xyz"); Issue.record("no error") } catch {
            #expect(error.exitCode == 66)
        }
    }
}
