// Ensemble model files: several networks in one safetensors file, whose output
// is the mean of their class probabilities (EnsembleEngine). The metadata has
// "members", a JSON array with one architecture per network (each in the form
// of "spec"), instead of "spec"; the tensors of member i are named
// "member<i>.<name>" (member0.conv1.weight, member1.conv1.weight, ...). All
// members take the same input and give the same number of classes. A plain
// model is written as always ("spec", tensors under their own names).

extension ModelFile {
    /// The most networks one ensemble file may hold.
    public static let maximumMembers = 16

    /// The prefix of member `index`'s tensors in an ensemble file ("member1.").
    public static func memberPrefix(_ index: Int) -> String { "member\(index)." }

    /// The architecture metadata ("spec" or "members" JSON) and the checked tensors to write.
    static func encodeMembers(_ members: [ModelMember], path: String) throws(ModelFileError) -> (architecture: String, tensors: [NamedTensor]) {
        guard (1...maximumMembers).contains(members.count) else {
            throw ModelFileError(path: path, problem: .badMembers(reason: "\(members.count) networks; a model file holds 1 to \(maximumMembers)"))
        }
        if members.count == 1 {
            return (members[0].spec.jsonText, try checkTensors(members[0].tensors, against: members[0].spec, path: path))
        }
        try checkCompatible(members.map(\.spec), path: path)
        var tensors: [NamedTensor] = []
        for (i, member) in members.enumerated() {
            let checked: [NamedTensor]
            do { checked = try checkTensors(member.tensors, against: member.spec, path: path) } catch {
                throw ModelFileError(path: path, problem: error.problem.inMember(i))
            }
            tensors += checked.map { NamedTensor(name: memberPrefix(i) + $0.name, shape: $0.shape, values: $0.values) }
        }
        return (JSONValue.array(members.map(\.spec.json)).text, tensors)
    }

    /// The members of an ensemble file from its "members" metadata and its tensors.
    static func decodeMembers(_ value: JSONValue, tensors: [NamedTensor], path: String) throws(ModelFileError) -> [ModelMember] {
        guard let items = value.arrayValue, (2...maximumMembers).contains(items.count) else {
            throw ModelFileError(path: path, problem: .badMembers(reason: "must be a JSON array of 2 to \(maximumMembers) architectures, found \(value.shortText)"))
        }
        var specs: [ModelSpec] = []
        for (i, item) in items.enumerated() {
            do { specs.append(try ModelSpec(json: item)) } catch {
                throw ModelFileError(path: path, problem: .badSpec("member \(i): \(error.description)"))
            }
        }
        try checkCompatible(specs, path: path)
        var byMember = [[NamedTensor]](repeating: [], count: specs.count)
        for t in tensors {
            guard let i = specs.indices.first(where: { t.name.hasPrefix(memberPrefix($0)) }) else {
                throw ModelFileError(path: path, problem: .extraTensor(name: t.name))
            }
            byMember[i].append(NamedTensor(name: String(t.name.dropFirst(memberPrefix(i).count)), shape: t.shape, values: t.values))
        }
        var members: [ModelMember] = []
        for (i, spec) in specs.enumerated() {
            do { members.append(ModelMember(spec: spec, tensors: try checkTensors(byMember[i], against: spec, path: path))) } catch {
                throw ModelFileError(path: path, problem: error.problem.inMember(i))
            }
        }
        return members
    }

    /// Ensemble members must take the same input and give the same number of classes.
    static func checkCompatible(_ specs: [ModelSpec], path: String) throws(ModelFileError) {
        func classes(_ s: ModelSpec) -> String { (try? s.outputCount()).map(String.init) ?? "?" }
        for (i, spec) in specs.enumerated().dropFirst() where spec.input != specs[0].input || classes(spec) != classes(specs[0]) {
            throw ModelFileError(path: path, problem: .badMembers(reason:
                "member \(i) (\(spec.name)) takes \(spec.input) and gives \(classes(spec)) classes, member 0 (\(specs[0].name)) takes \(specs[0].input) and gives \(classes(specs[0])); ensemble members must agree"))
        }
    }
}
