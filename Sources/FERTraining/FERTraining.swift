// FERTraining module marker; the module's real files sit beside this one.
public enum FERTrainingModule { public static let name = "FERTraining" }
