// The retained <prefix>/state message: what is in view now. JSON with the
// faces (track, box, emotion, score) and three summary fields Home Assistant
// reads through its value templates: count, present ("ON"/"OFF") and
// dominant (the emotion with the largest summed score over the faces, "none"
// without faces). Building the payload only; StateThrottle decides when.
import FERCam
import FERNet
import Foundation

public struct FaceInView: Sendable, Equatable {
    public var track: Int
    public var box: [Int]          // [x, y, w, h] in frame pixels
    public var emotion: String
    public var score: Double

    public init(track: Int, box: [Int], emotion: String, score: Double) {
        self.track = track
        self.box = box
        self.emotion = emotion
        self.score = score
    }

    public init(_ face: TrackedFace) {
        self.init(track: face.id, box: [face.box.x, face.box.y, face.box.width, face.box.height],
                  emotion: face.emotion.name, score: Double(face.score))
    }
}

public struct StatePayload: Sendable, Equatable {
    public var time: Date
    public var source: String
    public var faces: [FaceInView]

    public init(time: Date, source: String, faces: [FaceInView]) {
        self.time = time
        self.source = source
        self.faces = faces
    }

    /// The field names the discovery value templates read.
    public static let dominantField = "dominant", countField = "count", presentField = "present"

    /// The emotion with the largest summed score over the faces (ties: label order); "none" without faces.
    public var dominant: String {
        guard !faces.isEmpty else { return "none" }
        var sums: [String: Double] = [:]
        for f in faces { sums[f.emotion, default: 0] += f.score }
        let order = Emotion.names + sums.keys.filter { !Emotion.names.contains($0) }.sorted()
        var best = order[0], bestSum = -1.0
        for name in order { if let s = sums[name], s > bestSum { best = name; bestSum = s } }
        return best
    }

    /// What decides "changed": faces with their boxes, emotions and scores to two decimals (not the time).
    public var signature: [FaceInView] {
        faces.map { FaceInView(track: $0.track, box: $0.box, emotion: $0.emotion, score: ($0.score * 100).rounded() / 100) }
    }

    /// `{"time":"…","source":"…","count":1,"present":"ON","dominant":"happy","faces":[{"track":1,"box":[x,y,w,h],"emotion":"happy","score":0.8312}]}`
    public var json: String {
        let faceValues: [JSONValue] = faces.map { f in
            .object([("track", .int(f.track)), ("box", .array(f.box.map { .int($0) })),
                     ("emotion", .string(f.emotion)), ("score", .number(String(format: "%.4f", f.score.isFinite ? f.score : 0)))])
        }
        return JSONValue.object([
            ("time", .string(ISO8601.format(time))), ("source", .string(source)),
            (Self.countField, .int(faces.count)), (Self.presentField, .string(faces.isEmpty ? "OFF" : "ON")),
            (Self.dominantField, .string(dominant)), ("faces", .array(faceValues)),
        ]).text
    }
}

/// Publishes the state on change, at most `maxRate` times a second: a change
/// that comes too soon waits for the next offer after the interval (the
/// pipeline offers every frame), so the last change is never lost.
public struct StateThrottle: Sendable {
    public let minInterval: Double
    private var lastSignature: [FaceInView]?
    private var lastTime = -Double.infinity

    public init(maxRate: Double) {
        minInterval = 1 / maxRate
    }

    /// True when this state should go out now (and records it as sent).
    public mutating func offer(_ state: StatePayload, now: Double) -> Bool {
        let sig = state.signature
        if sig == lastSignature { return false }
        guard now - lastTime >= minInterval else { return false }
        lastSignature = sig
        lastTime = now
        return true
    }

    /// Records a state sent regardless of the rate (the final, empty one).
    public mutating func force(_ state: StatePayload, now: Double) {
        lastSignature = state.signature
        lastTime = now
    }
}
