// Combines model files into one ensemble model: the members' networks side by
// side (an ensemble given as a member counts as its own members), one input
// normalization, the members' provenance kept under "member<i>." keys. The
// ensemble's output is the mean of its members' probabilities (EnsembleEngine).
// It reads nothing and trains nothing: callers load the files and save the result.

public enum ModelEnsemble {
    /// An ensemble of `models` (named by `paths` in errors and provenance). All
    /// must share input shape, class count, input normalization and labels;
    /// architectures may differ.
    public static func combine(_ models: [LoadedModel], paths: [String]) throws(ModelFileError) -> LoadedModel {
        precondition(models.count == paths.count, "one path per model")
        guard let first = models.first, let firstPath = paths.first else {
            throw ModelFileError(path: "<ensemble>", problem: .badMembers(reason: "no model files given"))
        }
        var members: [ModelMember] = []
        var provenance: [String: String] = [:]
        for (model, path) in zip(models, paths) {
            func mismatch(_ what: String, _ mine: String, _ theirs: String) -> ModelFileError {
                ModelFileError(path: path, problem: .badMembers(reason: "its \(what) \(mine) differs from \(firstPath)'s \(theirs); ensemble members must agree on it"))
            }
            guard model.spec.input == first.spec.input else { throw mismatch("input", "\(model.spec.input)", "\(first.spec.input)") }
            guard model.normalization == first.normalization else { throw mismatch("normalization", model.normalization.json.text, first.normalization.json.text) }
            guard model.labels == first.labels else { throw mismatch("labels", "\(model.labels)", "\(first.labels)") }
            for (i, member) in model.members.enumerated() {
                // A plain model's provenance, or the keys an ensemble file keeps for this member.
                let own = ModelFile.memberPrefix(i)
                let keys = model.isEnsemble
                    ? model.provenance.filter { $0.key.hasPrefix(own) }.map { (String($0.key.dropFirst(own.count)), $0.value) }
                    : model.provenance.map { ($0.key, $0.value) }
                let prefix = ModelFile.memberPrefix(members.count)
                for (key, value) in keys { provenance[prefix + key] = value }
                if provenance[prefix + "file"] == nil { provenance[prefix + "file"] = path }
                members.append(member)
            }
        }
        guard members.count >= 2, members.count <= ModelFile.maximumMembers else {
            throw ModelFileError(path: firstPath, problem: .badMembers(reason: "\(members.count) networks in all; an ensemble holds 2 to \(ModelFile.maximumMembers)"))
        }
        try ModelFile.checkCompatible(members.map(\.spec), path: paths.joined(separator: " + "))
        var ensemble = LoadedModel(members: members, normalization: first.normalization, labels: first.labels, provenance: provenance)
        ensemble.provenance["ensemble"] = "mean of the class probabilities of " + ensemble.architecture
        return ensemble
    }
}
