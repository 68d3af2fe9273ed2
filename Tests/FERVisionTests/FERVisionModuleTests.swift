import Testing
@testable import FERVision

@Test func moduleLoads() { #expect(FERVisionModule.name == "FERVision") }
