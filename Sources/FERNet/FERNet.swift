// FERNet module marker; the module's real files sit beside this one.
public enum FERNetModule { public static let name = "FERNet" }
