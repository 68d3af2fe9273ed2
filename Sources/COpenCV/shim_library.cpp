// fc::Library: dlopen once, dlsym with a message that names the library, the
// symbol and the Debian package to install. See shim_library.hpp.
#include "shim_library.hpp"
#include "COpenCV.h"
#include <opencv2/core/version.hpp>
#include <dlfcn.h>
extern "C" {
#include <libavcodec/version_major.h>
#include <libavformat/version_major.h>
#include <libavutil/version.h>
#include <libswscale/version_major.h>
}

namespace fc {

Library::Library(const OnDemand &library) noexcept : soname_(library.soname), package_(library.package) {
    handle_ = dlopen(soname_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
        const char *why = dlerror();
        error_ = soname_ + " cannot be loaded (" + (why ? why : "unknown reason") +
                 "); install it with 'apt-get install " + package_ + "'";
    }
}

void *Library::lookup(const char *symbol) noexcept {
    if (handle_ == nullptr) return nullptr;
    void *p = dlsym(handle_, symbol);
    if (p == nullptr && error_.empty())
        error_ = soname_ + " has no symbol " + symbol + " (fer-cam was built against another version; reinstall " +
                 package_ + " or rebuild fer-cam)";
    return p;
}

// OpenCV 4.6's libraries are libopencv_<module>.so.406 in package libopencv-<module>406;
// FFmpeg's are lib<name>.so.<major> in package lib<name><major>.
static OnDemand opencv(const std::string &module) {
    const std::string v = std::to_string(CV_VERSION_MAJOR * 100 + CV_VERSION_MINOR);
    return {"libopencv_" + module + ".so." + v, "libopencv-" + module + v};
}
static OnDemand ffmpeg(const std::string &name, int major) {
    return {"lib" + name + ".so." + std::to_string(major), "lib" + name + std::to_string(major)};
}

OnDemand opencv_imgcodecs() { return opencv("imgcodecs"); }
OnDemand opencv_highgui() { return opencv("highgui"); }
OnDemand libavformat() { return ffmpeg("avformat", LIBAVFORMAT_VERSION_MAJOR); }
OnDemand libavcodec() { return ffmpeg("avcodec", LIBAVCODEC_VERSION_MAJOR); }
OnDemand libavutil() { return ffmpeg("avutil", LIBAVUTIL_VERSION_MAJOR); }
OnDemand libswscale() { return ffmpeg("swscale", LIBSWSCALE_VERSION_MAJOR); }

}  // namespace fc

extern "C" const char *fc_on_demand_libraries(void) {
    static const std::string list = [] {
        std::string s;
        for (const auto &l : {fc::opencv_imgcodecs(), fc::opencv_highgui(), fc::libavformat(), fc::libavcodec(),
                              fc::libavutil(), fc::libswscale()})
            s += (s.empty() ? "" : " ") + l.soname;
        return s;
    }();
    return list.c_str();
}
