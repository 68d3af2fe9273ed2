// `fer-train --version`: the version, the default model's file name and
// sha256 and the libraries opened on demand (FERNet's VersionText), answered before ArgumentParser sees the
// arguments so the model is hashed only when asked. Everything else goes to
// FerTrain's normal parsing.
import FERNet
import FERVision

extension FerTrain {
    static func main() {
        if VersionText.printIfAsked(program: "fer-train", onDemand: OnDemandLibraries.sonames) { return }
        main(nil)
    }
}
