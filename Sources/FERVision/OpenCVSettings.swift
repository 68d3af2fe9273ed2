// Process-wide OpenCV settings the executables choose at start-up: worker
// threads (TBB) and log verbosity. Values are passed in; nothing is stored here.

import COpenCV

public enum OpenCVThreads {
    /// cv::setNumThreads: n >= 1 threads for OpenCV's parallel loops
    /// (1 or 0: run them on the calling thread). Give each pipeline stage its
    /// cores explicitly, or OpenCV and OpenBLAS fight over them.
    public static func set(_ n: Int) { fc_set_num_threads(Int32(max(0, n))) }

    /// cv::getNumThreads.
    public static var current: Int { Int(fc_get_num_threads()) }
}

public enum OpenCVLog {
    public enum Level: Int32, Sendable { case silent = 0, fatal, error, warning, info }

    /// cv::utils::logging::setLogLevel (OpenCV's own "[ WARN ]" lines on stderr).
    public static func set(_ level: Level) { fc_set_log_level(level.rawValue) }
}
