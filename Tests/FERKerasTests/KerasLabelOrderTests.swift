// --labels and --normalization: the three label orders map onto fer-cam's,
// and bad values are usage errors that list the choices.
import FERKeras
import FERNet
import Testing

@Suite struct KerasLabelOrderTests {
    @Test func alphabeticalMapsOntoFerCamsOrder() throws {
        let order = try KerasLabelOrder(parsing: "alphabetical", path: "m.h5")
        #expect(order.outputNames == ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"])
        // fer-cam's sad (4) is the model's output 5, surprise (5) its 6, neutral (6) its 4.
        #expect(order.sourceIndex == [0, 1, 2, 3, 5, 6, 4])
    }

    @Test func fer2013IsTheIdentity() throws {
        #expect(try KerasLabelOrder(parsing: "fer2013", path: "m.h5").sourceIndex == [0, 1, 2, 3, 4, 5, 6])
    }

    @Test func anExplicitListIsTheModelsOrder() throws {
        let order = try KerasLabelOrder(parsing: "happy, sad,angry,disgust,fear,surprise,neutral", path: "m.h5")
        #expect(order.outputNames.first == "happy")
        #expect(order.sourceIndex == [2, 3, 4, 0, 1, 5, 6])
    }

    @Test(arguments: ["happy,sad", "happy,sad,angry,disgust,fear,surprise,calm", "happy,happy,angry,disgust,fear,surprise,neutral", ""])
    func aBadListIsAUsageError(_ text: String) {
        #expect {
            _ = try KerasLabelOrder(parsing: text, path: "m.h5")
        } throws: { error in
            guard let e = error as? KerasImportError else { return false }
            return e.exitCode == 64 && e.message.contains("alphabetical") && e.message.contains("fer2013")
        }
    }

    @Test func normalizationNamesAndNumbers() throws {
        #expect(try KerasNormalization(parsing: "unit", path: "m").value == InputNormalization(scale: 1 / 255, mean: 0, std: 1))
        #expect(try KerasNormalization(parsing: "fer2013", path: "m").value == InputNormalization.fer2013)
        let custom = try KerasNormalization(parsing: "0.5,0.25", path: "m").value
        #expect(custom.mean == 0.5 && custom.std == 0.25 && custom.scale == 1 / 255)
        for bad in ["0.5", "a,b", "0.5,0", "0.5,-1"] {
            #expect(throws: KerasImportError.self) { _ = try KerasNormalization(parsing: bad, path: "m") }
        }
    }
}
