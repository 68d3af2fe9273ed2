// FERCam module marker; the module's real files sit beside this one.
public enum FERCamModule { public static let name = "FERCam" }
