// Decides which events a frame produces from the tracker's state:
//   start  the first time a track has probabilities,
//   update when its smoothed top emotion changes (by at least `hysteresis`
//          over the emotion last reported, so near-ties do not flap), and
//          otherwise every `updateInterval` seconds of source time (0 = only on change),
//   end    when the tracker drops it (or at shutdown) - only for started tracks.
// So per track the log reads start, update*, end. It does not track or classify.
import Foundation
import FERNet
import FERVision

public struct EventPolicy: Sendable, Equatable {
    /// Seconds between periodic updates of an unchanged emotion (0 = never).
    public var updateInterval: Double = 1.0
    /// How much the new top emotion must beat the last reported one (probability) to count as a change.
    public var hysteresis: Float = 0.05
    public init(updateInterval: Double = 1.0, hysteresis: Float = 0.05) {
        self.updateInterval = updateInterval
        self.hysteresis = hysteresis
    }
}

public final class EventRules {
    public private(set) var policy: EventPolicy
    private var reported: [Int: (emotion: Emotion, time: Double)] = [:]

    public init(policy: EventPolicy = EventPolicy()) {
        self.policy = policy
    }

    /// A new policy for the following frames (a SIGHUP config reload); what was
    /// already reported stays, so an interval change counts from the last report.
    public func apply(_ policy: EventPolicy) { self.policy = policy }

    /// Events for the live faces of `frame` and the tracks that ended on it.
    public func events(frame: Frame, faces: [TrackedFace], ended: [Track]) -> [DetectionEvent] {
        var out: [DetectionEvent] = []
        for t in ended {
            guard reported.removeValue(forKey: t.id) != nil, let p = t.probabilities else { continue }
            out.append(event(.end, frame: frame, id: t.id, box: t.box, probabilities: p))
        }
        for f in faces where !f.probabilities.isEmpty {
            let emotion = f.emotion
            if let last = reported[f.id] {
                let due = policy.updateInterval > 0 && frame.time - last.time >= policy.updateInterval
                let changed = emotion != last.emotion
                    && f.probabilities[emotion.rawValue] - f.probabilities[last.emotion.rawValue] >= policy.hysteresis
                if changed || due {
                    out.append(event(.update, frame: frame, id: f.id, box: f.box, probabilities: f.probabilities))
                    reported[f.id] = (changed ? emotion : last.emotion, frame.time)
                }
            } else {
                out.append(event(.start, frame: frame, id: f.id, box: f.box, probabilities: f.probabilities))
                reported[f.id] = (emotion, frame.time)
            }
        }
        return out
    }

    /// Ids with a `start` but no `end` yet.
    public var openTracks: [Int] { reported.keys.sorted() }

    private func event(_ kind: DetectionEvent.Kind, frame: Frame, id: Int, box: Box, probabilities: [Float]) -> DetectionEvent {
        DetectionEvent(kind: kind, time: frame.wallTime, source: frame.source, frame: frame.index, track: id,
                       box: box, probabilities: probabilities, captureNanos: frame.monotonicNanos)
    }
}
