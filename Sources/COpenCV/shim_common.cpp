// Shim plumbing: error messages, fc_free, fc_mat accessors, thread and log
// settings. No image work here.
#include "shim_internal.hpp"
#include <opencv2/core/utils/logger.hpp>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>

namespace {
thread_local std::string last_error;
}

namespace fc {

fc_status fail(fc_status status, const std::string &message) noexcept {
    try {
        last_error = message;
    } catch (...) {
        // Out of memory while storing the message: keep the status.
    }
    return status;
}

fc_status fail(fc_status status, const char *message) noexcept {
    return fail(status, std::string(message ? message : ""));
}

bool check_buffer(const char *what, const void *p, int width, int height, int stride,
                  int channels, fc_status *status) noexcept {
    try {
        if (p == nullptr) {
            *status = fail(FC_BAD_ARGUMENT, std::string(what) + ": null buffer");
            return false;
        }
        if (width <= 0 || height <= 0) {
            *status = fail(FC_BAD_ARGUMENT, std::string(what) + ": image size " +
                                                 std::to_string(width) + "x" +
                                                 std::to_string(height) + " is empty");
            return false;
        }
        if (channels != 1 && channels != 3) {
            *status = fail(FC_BAD_ARGUMENT, std::string(what) + ": " +
                                                 std::to_string(channels) +
                                                 " channels (expected 1 or 3)");
            return false;
        }
        if (static_cast<long>(stride) < static_cast<long>(width) * channels) {
            *status = fail(FC_BAD_ARGUMENT,
                           std::string(what) + ": stride " + std::to_string(stride) +
                               " is smaller than width*channels " +
                               std::to_string(static_cast<long>(width) * channels));
            return false;
        }
        return true;
    } catch (...) {
        *status = FC_NO_MEMORY;
        return false;
    }
}

PathKind path_kind(const char *path) noexcept {
    struct stat st;
    if (path == nullptr || stat(path, &st) != 0) return PathKind::missing;
    return S_ISDIR(st.st_mode) ? PathKind::directory : PathKind::file;
}

}  // namespace fc

extern "C" {

const char *fc_last_error(void) { return last_error.c_str(); }

void fc_free(void *p) { std::free(p); }

int fc_cv_version_major(void) { return CV_VERSION_MAJOR; }

void fc_set_num_threads(int n) {
    try {
        cv::setNumThreads(n);
    } catch (...) {
    }
}

int fc_get_num_threads(void) {
    try {
        return cv::getNumThreads();
    } catch (...) {
        return 1;
    }
}

void fc_set_log_level(int level) {
    try {
        if (level < 0) level = 0;
        if (level > 6) level = 6;
        cv::utils::logging::setLogLevel(static_cast<cv::utils::logging::LogLevel>(level));
    } catch (...) {
    }
}

fc_mat *fc_mat_new(void) {
    try {
        return new fc_mat();
    } catch (...) {
        return nullptr;
    }
}

void fc_mat_free(fc_mat *m) { delete m; }

void fc_mat_info(const fc_mat *m, int *width, int *height, int *channels) {
    if (m == nullptr || m->mat.empty()) {
        *width = 0;
        *height = 0;
        *channels = 0;
        return;
    }
    *width = m->mat.cols;
    *height = m->mat.rows;
    *channels = m->mat.channels();
}

fc_status fc_mat_copy_to(const fc_mat *m, uint8_t *dst, int dst_stride) {
    return fc::guard("copy image", [&]() -> fc_status {
        if (m == nullptr || m->mat.empty()) return fc::fail(FC_BAD_ARGUMENT, "copy image: empty matrix");
        if (m->mat.depth() != CV_8U) return fc::fail(FC_BAD_ARGUMENT, "copy image: not 8-bit");
        const size_t row = static_cast<size_t>(m->mat.cols) * m->mat.channels();
        if (dst == nullptr || static_cast<size_t>(dst_stride) < row)
            return fc::fail(FC_BAD_ARGUMENT, "copy image: destination too small");
        for (int y = 0; y < m->mat.rows; ++y)
            std::memcpy(dst + static_cast<size_t>(y) * dst_stride, m->mat.ptr<uint8_t>(y), row);
        return FC_OK;
    });
}

}  // extern "C"
