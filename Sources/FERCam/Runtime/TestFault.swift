// `--test-fault drop-after=N,down=S` (for testing): makes the test camera
// fail like an unplugged webcam. After N frames from each (re)open, next()
// throws "camera disconnected"; reopening then fails with "no such device"
// for S seconds. Used by the reconnect tests; no effect on real cameras.
import Foundation

public struct TestFault: Sendable, Equatable {
    public var dropAfter: Int
    public var downSeconds: Double

    public init(dropAfter: Int, downSeconds: Double) {
        self.dropAfter = dropAfter
        self.downSeconds = downSeconds
    }

    /// Parses "drop-after=60,down=1.5".
    public static func parse(_ text: String) throws(CamError) -> TestFault {
        var drop: Int?
        var down: Double?
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else {
                throw .usage("--test-fault \(text): expected drop-after=N,down=SECONDS, got '\(part)'")
            }
            switch kv[0] {
            case "drop-after": drop = Int(kv[1]).flatMap { $0 > 0 ? $0 : nil }
                if drop == nil { throw .usage("--test-fault drop-after=\(kv[1]): expected a frame count > 0") }
            case "down": down = Double(kv[1]).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
                if down == nil { throw .usage("--test-fault down=\(kv[1]): expected seconds >= 0") }
            default:
                throw .usage("--test-fault: unknown part '\(kv[0])' (known: drop-after, down)")
            }
        }
        guard let drop else { throw .usage("--test-fault \(text): drop-after=N is required") }
        return TestFault(dropAfter: drop, downSeconds: down ?? 1)
    }
}

/// The simulated device's state, shared by every reopen of the test camera.
public final class SimulatedOutage: @unchecked Sendable {
    private let lock = NSLock()
    private var downUntil: UInt64 = 0

    public init() {}

    func begin(seconds: Double) {
        lock.lock(); downUntil = MonotonicClock.nanos() + UInt64(seconds * 1e9); lock.unlock()
    }

    var isDown: Bool { lock.lock(); defer { lock.unlock() }; return MonotonicClock.nanos() < downUntil }
}

/// Wraps a source (the test camera) and fails it as TestFault says.
public final class FaultInjectingSource: FrameSource, @unchecked Sendable {
    private let base: FrameSource
    private let fault: TestFault
    private let outage: SimulatedOutage
    private var count = 0

    public var name: String { base.name }
    public var summary: String { base.summary + " (test fault: drop after \(fault.dropAfter) frames, down \(fault.downSeconds) s)" }
    public var isLive: Bool { base.isLive }
    public var nominalFPS: Double? { base.nominalFPS }

    /// Opens (or refuses to open, while the simulated device is away) the faulty source.
    public static func open(_ make: () -> FrameSource, fault: TestFault, outage: SimulatedOutage) throws(CamError) -> FaultInjectingSource {
        if outage.isDown { throw .inputMissing("test: no such device (simulated outage)") }
        return FaultInjectingSource(base: make(), fault: fault, outage: outage)
    }

    init(base: FrameSource, fault: TestFault, outage: SimulatedOutage) {
        self.base = base
        self.fault = fault
        self.outage = outage
    }

    public func next() throws(CamError) -> Frame? {
        if count >= fault.dropAfter {
            outage.begin(seconds: fault.downSeconds)
            throw .deviceUnavailable("test: camera disconnected (simulated fault after \(fault.dropAfter) frames)")
        }
        count += 1
        return try base.next()
    }

    public func interrupt() { base.interrupt() }
}
