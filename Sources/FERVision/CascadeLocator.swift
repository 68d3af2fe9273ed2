// CascadeLocator: which frontal-face cascade file the daemon loads.
// Order: the --cascade flag, then cascades/ under the package root, then
// Debian's opencv-data directory. It only finds the file; loading it is
// CascadeDetector's job.

public enum CascadeLocator {
    public static let fileName = "haarcascade_frontalface_default.xml"
    /// Where Debian's opencv-data package installs the cascades.
    public static let systemDirectory = "/usr/share/opencv4/haarcascades"

    /// The paths `resolve` tries, in order.
    public static func candidates(flag: String?, packageRoot: String?,
                                  systemDirectories: [String] = [systemDirectory]) -> [String] {
        if let flag { return [flag] }
        var paths: [String] = []
        if let root = packageRoot { paths.append(join(join(root, "cascades"), fileName)) }
        paths += systemDirectories.map { join($0, fileName) }
        return paths
    }

    /// The first existing regular file among `candidates`. An explicit flag
    /// that does not exist is an error (no silent fallback). The error lists
    /// every place tried and the fix.
    public static func resolve(flag: String?, packageRoot: String?,
                               systemDirectories: [String] = [systemDirectory]) throws(VisionError) -> String {
        let tried = candidates(flag: flag, packageRoot: packageRoot, systemDirectories: systemDirectories)
        if let found = tried.first(where: FileSystem.isRegularFile) { return found }
        throw .cascadeNotFound(tried: tried, fromFlag: flag != nil)
    }

    private static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
