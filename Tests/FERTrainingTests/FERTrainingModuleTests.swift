import Testing
@testable import FERTraining

@Test func moduleLoads() { #expect(FERTrainingModule.name == "FERTraining") }
