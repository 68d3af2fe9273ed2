// Internal helpers of the OpenCV shim: the thread-local error message, the
// exception guard every exported function runs its body in, and argument
// checks for caller-owned buffers. Not part of the public C header.
#pragma once
#include "COpenCV.h"
#include <opencv2/core.hpp>
#include <new>
#include <string>

namespace fc {

/// Records `message` as this thread's last error and returns `status`.
fc_status fail(fc_status status, const std::string &message) noexcept;
fc_status fail(fc_status status, const char *message) noexcept;

/// Runs body() and turns every exception into a status plus message, so no
/// exception crosses into C or Swift. `what` names the operation.
template <class Body>
fc_status guard(const char *what, Body &&body) noexcept {
    try {
        return body();
    } catch (const cv::Exception &e) {
        return fail(FC_OPENCV_ERROR, std::string(what) + ": OpenCV error in " + e.func +
                                         ": " + e.err);
    } catch (const std::bad_alloc &) {
        return fail(FC_NO_MEMORY, std::string(what) + ": out of memory");
    } catch (const std::exception &e) {
        return fail(FC_UNKNOWN_ERROR, std::string(what) + ": " + e.what());
    } catch (...) {
        return fail(FC_UNKNOWN_ERROR, std::string(what) + ": unknown C++ exception");
    }
}

/// Checks a caller buffer description; on failure records a message.
bool check_buffer(const char *what, const void *p, int width, int height, int stride,
                  int channels, fc_status *status) noexcept;

/// Wraps a caller buffer (no copy). Call check_buffer first.
inline cv::Mat wrap(const uint8_t *p, int width, int height, int stride, int channels) {
    return cv::Mat(height, width, CV_8UC(channels), const_cast<uint8_t *>(p),
                   static_cast<size_t>(stride));
}

/// OpenCV reallocates an output Mat whose size or type does not match; this
/// checks that the result really landed in the caller's buffer.
inline fc_status wrote_in_place(const cv::Mat &m, const uint8_t *p, const char *what) {
    return m.data == p ? FC_OK
                       : fail(FC_UNKNOWN_ERROR,
                              std::string(what) + ": OpenCV reallocated the destination");
}

enum class PathKind { missing, directory, file };
/// What is at `path` (stat, no exceptions).
PathKind path_kind(const char *path) noexcept;

}  // namespace fc

/// Opaque matrix handed to C callers.
struct fc_mat {
    cv::Mat mat;
};
