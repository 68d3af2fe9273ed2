// Box geometry worked by hand: centre, intersection, IoU, scaling, clamping,
// margins, and the [x, y, w, h] JSON form the detection log uses.

import Foundation
import Testing
@testable import FERVision

@Suite struct BoxTests {
    @Test func centreAndEdges() {
        let b = Box(x: 10, y: 20, width: 30, height: 40)
        #expect(b.center.x == 25 && b.center.y == 40)
        #expect(b.maxX == 40 && b.maxY == 60 && b.area == 1200)
        #expect(Box(x: 0, y: 0, width: 0, height: 5).isEmpty)
        #expect(Box(x: 0, y: 0, width: -3, height: 5).area == 0)
    }

    @Test func intersectionAndIoU() {
        let a = Box(x: 0, y: 0, width: 10, height: 10)
        let b = Box(x: 5, y: 5, width: 10, height: 10)
        #expect(a.intersection(b) == Box(x: 5, y: 5, width: 5, height: 5))
        // 25 shared of 100 + 100 - 25 = 175.
        #expect(abs(a.iou(b) - 25.0 / 175.0) < 1e-12)
        #expect(a.iou(a) == 1)
        #expect(a.iou(Box(x: 20, y: 20, width: 5, height: 5)) == 0)
        #expect(a.iou(Box(x: 10, y: 0, width: 10, height: 10)) == 0)  // touching edges share no pixel
        #expect(a.iou(Box(x: 0, y: 0, width: 0, height: 0)) == 0)
    }

    @Test func scaledMapsEdges() {
        let b = Box(x: 10, y: 20, width: 30, height: 41)
        #expect(b.scaled(by: 2) == Box(x: 20, y: 40, width: 60, height: 82))
        // Edges 10..40 and 20..61 halved and rounded: 5..20 and 10..31 (30.5 rounds to 31).
        #expect(b.scaled(by: 0.5) == Box(x: 5, y: 10, width: 15, height: 21))
    }

    @Test func clampedToFrame() {
        #expect(Box(x: -5, y: -5, width: 20, height: 20).clamped(to: 10, height: 8)
                == Box(x: 0, y: 0, width: 10, height: 8))
        #expect(Box(x: 2, y: 3, width: 4, height: 4).clamped(to: 10, height: 10)
                == Box(x: 2, y: 3, width: 4, height: 4))
        #expect(Box(x: 20, y: 20, width: 4, height: 4).clamped(to: 10, height: 10).isEmpty)
    }

    @Test func expandedByMargin() {
        let b = Box(x: 100, y: 50, width: 100, height: 60)
        #expect(b.expanded(by: 0.1) == Box(x: 90, y: 44, width: 120, height: 72))
        #expect(b.expanded(by: 0) == b)
        #expect(b.expanded(by: -0.25) == Box(x: 125, y: 65, width: 50, height: 30))
        #expect(Box(x: 0, y: 0, width: 10, height: 10).expanded(by: 0.5) == Box(x: -5, y: -5, width: 20, height: 20))
    }

    @Test func codableAsArray() throws {
        let b = Box(x: 1, y: 2, width: 3, height: 4)
        let json = String(decoding: try JSONEncoder().encode(b), as: UTF8.self)
        #expect(json == "[1,2,3,4]")
        #expect(try JSONDecoder().decode(Box.self, from: Data("[5,6,7,8]".utf8)) == Box(x: 5, y: 6, width: 7, height: 8))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data("[1,2,3]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data("[1,2,3,4,5]".utf8)) }
        #expect(b.description == "[1,2,3,4]")
    }

    @Test func containsPointsAndCentreDistance() {
        let b = Box(x: 10, y: 20, width: 30, height: 40)
        #expect(b.contains(x: 10, y: 20) && b.contains(x: 39.5, y: 59.5))
        #expect(!b.contains(x: 40, y: 30) && !b.contains(x: 20, y: 60) && !b.contains(x: 9.9, y: 30), "right and bottom edges excluded")
        #expect(b.centerDistance(Box(x: 13, y: 24, width: 30, height: 40)) == 5)
    }
}
