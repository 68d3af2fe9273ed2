// The shared libraries the OpenCV shim opens on first use instead of linking
// (video files: FFmpeg's libav*; image files and JPEG encoding: OpenCV's
// imgcodecs; windows: its highgui), by soname. A run maps only those it uses;
// packaging lists them in Depends:, since the dynamic linker cannot see them.
// It does not load them.

import COpenCV

public enum OnDemandLibraries {
    /// e.g. ["libopencv_imgcodecs.so.406", "libopencv_highgui.so.406", "libavformat.so.59", …].
    public static var sonames: [String] {
        String(cString: fc_on_demand_libraries()).split(separator: " ").map(String.init)
    }
}
