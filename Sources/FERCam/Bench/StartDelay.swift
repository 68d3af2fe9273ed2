// How long a new face waited for its `start` event: from the first frame on which
// the reference (the full-resolution cascade) shows that face to the frame of the
// start. The face is followed back from the track's box at its start through the
// reference frames (each box linked to the one before it by IoU), so a face the
// cascade itself found late counts from then. It measures; it runs no detector
// (fer-bench recall feeds it). A face at the same place across a scene cut would
// link through the cut; the clips it is used on cut between different shots.
import FERVision

public enum StartDelay {
    /// IoU that links a reference box to the box of the same face one reference frame later
    /// (below BoxRecall.minIoU: a moving face shifts between reference frames).
    public static let linkIoU = 0.3

    /// Seconds from the face's first reference frame to `startFrame`, or nil when no reference
    /// box near the start matches `box`. `reference`: reference frame index -> boxes; `times`:
    /// frame index -> seconds. Up to `maxGap` reference frames in a row without the face are
    /// bridged (the cascade misses a face now and then).
    public static func seconds(startFrame: Int, box: Box, reference: [Int: [Box]], times: [Int: Double],
                               maxGap: Int = 1) -> Double? {
        var current = box, first: Int?, misses = 0
        for k in reference.keys.filter({ $0 <= startFrame }).sorted(by: >) {
            let best = reference[k]!.max { $0.iou(current) < $1.iou(current) }
            if let best, best.iou(current) >= linkIoU {
                current = best
                first = k
                misses = 0
            } else {
                misses += 1
                if misses > maxGap { break }
            }
        }
        guard let first, let t0 = times[first], let t1 = times[startFrame] else { return nil }
        return t1 - t0
    }
}
