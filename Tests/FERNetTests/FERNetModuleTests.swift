import Testing
@testable import FERNet

@Test func moduleLoads() { #expect(FERNetModule.name == "FERNet") }
