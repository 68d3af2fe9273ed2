// FERVision module marker; the module's real files sit beside this one.
public enum FERVisionModule { public static let name = "FERVision" }
