// Temperature scaling folded into a model's weights: dividing every member's
// logits by T is the same as dividing its last dense layer's weight and bias
// by T, so a calibrated model is an ordinary model file that every reader
// (engine, ensembles, ONNX export) runs unchanged. Each network's argmax does
// not change (an ensemble's mean of probabilities can, on near ties). It fits
// nothing (FERTraining's Calibration does).

extension LoadedModel {
    /// The model with each member's logits divided by `temperature` (> 0, finite).
    /// Throws when a member's last layer is not a dense layer.
    public func dividingLogits(by temperature: Float) throws(ModelSpecError) -> LoadedModel {
        precondition(temperature > 0 && temperature.isFinite, "temperature \(temperature) must be positive and finite")
        var model = self
        for m in model.members.indices {
            let spec = model.members[m].spec
            guard case let .dense(name, _)? = spec.layers.last else {
                throw .invalid("\(spec.name) does not end in a dense layer, so its logits cannot be scaled in its weights")
            }
            for t in model.members[m].tensors.indices where [name + ".weight", name + ".bias"].contains(model.members[m].tensors[t].name) {
                model.members[m].tensors[t].values = model.members[m].tensors[t].values.map { $0 / temperature }
            }
        }
        return model
    }
}
