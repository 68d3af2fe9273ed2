// Window: an OpenCV highgui window (Qt on Debian, WINDOW_GUI_NORMAL so no
// toolbar) that shows BGR frames and reports keys and closing. It refuses to
// open without a display, because Qt would abort the process. Use it from one
// thread only (the one that calls pollKey).

import COpenCV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class Window {
    public let title: String
    private var handle: OpaquePointer?

    /// True when DISPLAY or WAYLAND_DISPLAY is set and not empty.
    public static var canOpen: Bool {
        canOpen(environment: ["DISPLAY": env("DISPLAY"), "WAYLAND_DISPLAY": env("WAYLAND_DISPLAY")]
            .compactMapValues { $0 })
    }

    /// `canOpen` for a given environment (testable without touching the process's).
    public static func canOpen(environment: [String: String]) -> Bool {
        !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty
    }

    /// Opens the window; throws `.noDisplay` when `canOpen` is false.
    public init(title: String) throws(VisionError) {
        guard Window.canOpen else { throw .noDisplay }
        var h: OpaquePointer?
        try Shim.check(fc_window_open(title, &h), "open window '\(title)'")
        self.title = title
        self.handle = h
    }

    deinit { close() }

    /// Shows `image` (the window takes the image's size).
    public func show(_ image: BGRImage) throws(VisionError) {
        guard let handle else { return }
        let (w, h) = (image.width, image.height)
        let status = image.pixels.withUnsafeBufferPointer {
            fc_window_show(handle, $0.baseAddress, Int32(w), Int32(h), Int32(w * 3))
        }
        try Shim.check(status, "show a \(w)x\(h) image in window '\(title)'")
    }

    /// Processes window events for up to `milliseconds` (0: just poll) and
    /// returns the key pressed, if any. Also what keeps the window repainted.
    public func pollKey(milliseconds: Int = 1) -> Int32? {
        guard handle != nil else { return nil }
        let key = fc_window_poll_key(Int32(milliseconds))
        return key < 0 ? nil : key
    }

    /// True after `close()` or once the user closed the window.
    public var isClosed: Bool {
        guard let handle else { return true }
        return fc_window_is_visible(handle) == 0
    }

    /// Destroys the window; later calls do nothing.
    public func close() {
        if let handle { fc_window_free(handle) }
        handle = nil
    }

    private static func env(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
