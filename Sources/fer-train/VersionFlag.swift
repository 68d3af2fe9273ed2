// `fer-train --version`: the version and the default model's file name and
// sha256 (FERNet's VersionText), answered before ArgumentParser sees the
// arguments so the model is hashed only when asked. Everything else goes to
// FerTrain's normal parsing.
import FERNet

extension FerTrain {
    static func main() {
        if VersionText.printIfAsked(program: "fer-train") { return }
        main(nil)
    }
}
