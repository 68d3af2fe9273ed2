// Libraries the shim opens on first use (dlopen) instead of linking: OpenCV's
// imgcodecs and highgui and FFmpeg's libav*. Linked, they map ~250 shared
// objects (GDAL, Qt, every codec) into every run, ~60 MB of RSS a camera
// service never uses. Here a run maps only what it calls: a video file maps
// libav*, a stream or an image maps imgcodecs, a window maps highgui.
// What it does not: choose fallbacks or search paths (the dynamic loader's).
#pragma once
#include <string>

namespace fc {

/// A library opened on demand: its soname and the Debian package that has it.
struct OnDemand {
    std::string soname, package;
};
/// Every library the shim opens on demand, each named once here (the names
/// follow the versions of the headers this shim was built with).
OnDemand opencv_imgcodecs();
OnDemand opencv_highgui();
OnDemand libavformat();
OnDemand libavcodec();
OnDemand libavutil();
OnDemand libswscale();

/// One shared library, opened once; `bind` looks up symbols and records the
/// first one missing. Subclasses hold typed function pointers and bind them in
/// their constructor; a function-local static of the subclass makes that
/// happen once per process, thread-safely.
class Library {
public:
    /// `soname` e.g. "libavformat.so.59"; `package` the Debian package that has it.
    explicit Library(const OnDemand &library) noexcept;
    Library(const Library &) = delete;
    Library &operator=(const Library &) = delete;

    /// True when the library and every bound symbol were found.
    bool ok() const noexcept { return error_.empty(); }
    /// What is missing and how to install it ("" when ok).
    const std::string &error() const noexcept { return error_; }

protected:
    /// Sets `fn` to `symbol` of this library (a C name, or a C++ mangled name whose
    /// signature is that of F: the mangling encodes the parameter types).
    template <class F>
    void bind(F &fn, const char *symbol) noexcept {
        fn = reinterpret_cast<F>(lookup(symbol));
    }

private:
    void *lookup(const char *symbol) noexcept;
    void *handle_ = nullptr;
    std::string soname_, package_, error_;
};

}  // namespace fc
