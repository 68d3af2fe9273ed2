// BoxRecall: one-to-one matching at IoU >= 0.5, and the box line round trip.
import Testing
@testable import FERCam
import FERVision

@Suite struct BoxRecallTests {
    @Test func matchesOneToOneAtHalfIoU() {
        var r = BoxRecall()
        let a = Box(x: 0, y: 0, width: 100, height: 100), b = Box(x: 300, y: 0, width: 50, height: 50)
        // a is found twice (counts once), b is found too far off (IoU < 0.5), one box is extra.
        let m = r.add(reference: [a, b], found: [Box(x: 5, y: 5, width: 100, height: 100), Box(x: 0, y: 0, width: 100, height: 100),
                                                  Box(x: 330, y: 0, width: 50, height: 50)])
        #expect(m == 1)
        #expect(r.recall == 0.5)
        #expect(abs(r.precision - 1.0 / 3) < 1e-12)
        r.add(reference: [], found: [])
        #expect(r.frames == 2 && r.referenceBoxes == 2 && r.foundBoxes == 3)
    }

    @Test func boxLinesRoundTrip() {
        let boxes = [Box(x: 1, y: 2, width: 3, height: 4), Box(x: 10, y: 20, width: 30, height: 40)]
        let line = BoxLine.encode(frame: 7, boxes: boxes)
        #expect(line == "{\"frame\":7,\"boxes\":[[1,2,3,4],[10,20,30,40]]}")
        let back = BoxLine.decode(line)
        #expect(back?.frame == 7 && back?.boxes == boxes)
        #expect(BoxLine.decode("{\"frame\":1,\"boxes\":[[1,2,3]]}") == nil)
        #expect(BoxLine.decode("not json") == nil)
    }
}
