// Builds the networks a loaded model file describes: one Network per member,
// each with the member's weights. Validation of the weights against the specs
// happened when the file was loaded; this only builds and fills.

extension LoadedModel {
    /// One trained network per member (a plain model: one).
    public func networks() throws -> [Network] {
        try members.map { member in
            let net = try Network(spec: member.spec, seed: 0)
            try net.load(member.tensors)
            return net
        }
    }
}
