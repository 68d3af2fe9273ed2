// The one version number of fer-cam. `fer-cam --version` and `fer-train --version`
// print it (VersionText), and packaging/build-deb reads it from this file (the
// `number` line below, so keep it a plain string literal on one line). It says
// nothing about the model; VersionText adds the model's name and checksum.

public enum FERVersion {
    public static let number = "1.0.0"
}
