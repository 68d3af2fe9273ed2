// MQTTTopics and MQTTName: the default prefix, the four topics, prefix checks, names derived from sources.
import Testing
@testable import FERMQTT

@Suite struct MQTTTopicsTests {
    @Test func defaultPrefixIsFerCamSlashName() throws {
        let t = try MQTTTopics(prefix: nil, name: "video0")
        #expect(t.events == "fer-cam/video0/events")
        #expect(t.availability == "fer-cam/video0/availability")
        #expect(t.state == "fer-cam/video0/state")
        #expect(t.camera == "fer-cam/video0/camera")
    }

    @Test func customPrefix() throws {
        #expect(try MQTTTopics(prefix: "home/hall/cam", name: "x").events == "home/hall/cam/events")
    }

    @Test(arguments: ["", "a/+/b", "a/#", "/a", "a/", "a//b"])
    func badPrefixes(_ p: String) {
        #expect(throws: MQTTConfigError.self) { try MQTTTopics(prefix: p, name: "x") }
    }

    @Test func namesFromSources() {
        #expect(MQTTName.derived(fromSource: "/dev/video0") == "video0")
        #expect(MQTTName.derived(fromSource: "../shared/media/short_hamilton_clip.mp4") == "short_hamilton_clip")
        #expect(MQTTName.derived(fromSource: "/srv/hall cam.v1.mkv") == "hall_cam_v1")
        #expect(MQTTName.derived(fromSource: "photos/") == "photos")
        #expect(MQTTName.derived(fromSource: "test") == "test")
    }

    @Test func nameCheck() throws {
        try MQTTName.check("hall-2_b")
        for bad in ["", "a/b", "a+b", "a b", "é"] {
            #expect(throws: MQTTConfigError.badName(value: bad)) { try MQTTName.check(bad) }
        }
    }
}
