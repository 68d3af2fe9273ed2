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
    private var running: ConfigFile?   // the config in force; read and replaced only on the SIGHUP queue

    init(pipeline: Pipeline, processor: FrameProcessor, log: JSONLinesSink, configPath: String?, logger: Logger) throws(CamError) {
        let monitor = ServiceMonitor(notifier: SystemdNotifier(environment: ProcessInfo.processInfo.environment),
                                     health: { [pipeline] in pipeline.health })
        self.monitor = monitor
        pipeline.onHeartbeat { monitor.heartbeat() }
        pipeline.onCameraChange { monitor.cameraChanged($0) }
        running = configPath.flatMap { try? ConfigLoading.load($0) }
        let mailbox = processor.policyMailbox, events = processor.config.events
        hangup = try HangupSignal { [log, self] in
            do throws(CamError) {
                try log.reopen()
                if log.path != "-" { logger.info("SIGHUP: reopened detection log \(log.path)") }
            } catch {
                logger.error("SIGHUP: \(error.message); still writing to the previous file")
            }
            if let configPath {
                let reload = ConfigLoading.reload(configPath, running: self.running)
                if let seconds = reload.updateInterval {
                    var policy = events
                    policy.updateInterval = seconds
                    mailbox.post(policy)
                }
                if let fresh = reload.config { self.running = fresh }
                logger.info("SIGHUP: \(reload.message)")
            }
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
