// The daemon's side of systemd for one run: sd_notify (READY, STATUS,
// WATCHDOG, STOPPING through ServiceMonitor, a no-op without
// $NOTIFY_SOCKET) and SIGHUP (reopen the detection log for logrotate,
// re-read the config). Wiring only; the behaviour lives in FERCam.
import FERCam
import Foundation
import Logging

final class ServiceWiring: @unchecked Sendable {
    let monitor: ServiceMonitor
    private var hangup: HangupSignal?

    init(pipeline: Pipeline, log: JSONLinesSink, configPath: String?, logger: Logger) {
        let monitor = ServiceMonitor(notifier: SystemdNotifier(environment: ProcessInfo.processInfo.environment),
                                     health: { [pipeline] in pipeline.health })
        self.monitor = monitor
        pipeline.onHeartbeat { monitor.heartbeat() }
        pipeline.onCameraChange { monitor.cameraChanged($0) }
        let running = configPath.flatMap { try? ConfigLoading.load($0) }
        hangup = HangupSignal { [log] in
            do throws(CamError) {
                try log.reopen()
                if log.path != "-" { logger.info("SIGHUP: reopened detection log \(log.path)") }
            } catch {
                logger.error("SIGHUP: \(error.message); still writing to the previous file")
            }
            if let configPath { logger.info("SIGHUP: \(ConfigLoading.reload(configPath, running: running))") }
            monitor.status("\(ServiceMonitor.statusLine(pipeline.health))")
        }
    }

    /// STOPPING=1: the run is ending (signal, q, end of input).
    func stopping() { monitor.stopping() }

    func cancel() {
        hangup?.cancel()
        hangup = nil
    }
}
