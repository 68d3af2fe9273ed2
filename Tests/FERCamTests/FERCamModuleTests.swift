import Testing
@testable import FERCam

@Test func moduleLoads() { #expect(FERCamModule.name == "FERCam") }
