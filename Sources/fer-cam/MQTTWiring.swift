// Connects the pipeline to MQTT: builds the settings from the --mqtt flags,
// the source's name and the password (config file's mqtt-password or
// $FERCAM_MQTT_PASSWORD), starts the publisher, gives the pipeline its sink,
// and once a second hands the queued/dropped/published counts to /metrics.
// Wiring only; everything MQTT is in FERMQTT.
import FERCam
import FERMQTT
import Foundation
import Logging

final class MQTTWiring: @unchecked Sendable {
    let publisher: MQTTPublisher
    private var timer: DispatchSourceTimer?

    /// Checks the settings (64 usage, 66 missing CA file); nil without --mqtt.
    static func settings(_ options: MQTTOptions, spec: SourceSpec, configPath: String?) throws(CamError) -> MQTTSettings? {
        guard options.url != nil else { return nil }
        let password = MQTTSettings.password(environment: ProcessInfo.processInfo.environment,
                                             configValue: configPath.flatMap(Self.configPassword))
        do {
            guard let s = try options.settings(defaultName: defaultName(spec), password: password) else { return nil }
            try s.checkFiles()
            return s
        } catch {
            throw error.exitCode == 66 ? .inputMissing(error.description) : .usage(error.description)
        }
    }

    /// /dev/video0 → video0, a file's base name, test.
    static func defaultName(_ spec: SourceSpec) -> String {
        switch spec {
        case .device(let p), .video(let p), .images(let p): return MQTTName.derived(fromSource: p)
        case .test: return "test"
        }
    }

    private static func configPassword(_ path: String) -> String? {
        (try? ConfigLoading.load(path))?.entries.first { $0.key == MQTTSettings.passwordKey }?.value
    }

    /// Starts connecting in the background (an unreachable broker is a warning, not an error).
    init(settings: MQTTSettings, logger: Logger) throws(CamError) {
        do { publisher = try MQTTPublisher(settings: settings, logger: logger) } catch {
            throw .internalError(error.description)
        }
        publisher.start()
    }

    func makeSink() -> EventLineSink { MQTTSink(publisher: publisher) }

    /// Every second: the publisher's counts to `report` (the stream's /metrics).
    func report(every seconds: Double = 1, to report: @escaping @Sendable (MQTTCounts) -> Void) {
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "fer-cam.mqtt.metrics"))
        t.schedule(deadline: .now() + seconds, repeating: seconds)
        t.setEventHandler { [publisher] in report(publisher.counts) }
        timer = t
        t.resume()
    }

    /// Sends what is queued (a few seconds at most), `offline`, and disconnects.
    func stop() {
        timer?.cancel()
        timer = nil
        publisher.stop()
    }
}
