// Video files through OpenCV's FFmpeg backend (named explicitly: the default
// order tries GStreamer first and prints noise). Cameras are not opened here;
// the daemon reads V4L2 devices through its own shim.
#include "shim_internal.hpp"
#include <opencv2/videoio.hpp>

struct fc_video {
    cv::VideoCapture capture;
};

extern "C" {

fc_status fc_video_open(const char *path, fc_video **out) {
    *out = nullptr;
    return fc::guard("open video", [&]() -> fc_status {
        if (path == nullptr) return fc::fail(FC_BAD_ARGUMENT, "open video: null path");
        const std::string p(path);
        switch (fc::path_kind(path)) {
            case fc::PathKind::missing:
                return fc::fail(FC_NOT_FOUND, "video file '" + p + "' does not exist");
            case fc::PathKind::directory:
                return fc::fail(FC_BAD_INPUT, "video file '" + p + "' is a directory");
            case fc::PathKind::file:
                break;
        }
        auto v = new fc_video();
        bool opened = false;
        try {
            opened = v->capture.open(p, cv::CAP_FFMPEG) && v->capture.isOpened();
        } catch (...) {
            delete v;
            throw;
        }
        if (!opened) {
            delete v;
            return fc::fail(FC_BAD_INPUT, "video file '" + p + "' cannot be opened by FFmpeg");
        }
        *out = v;
        return FC_OK;
    });
}

void fc_video_free(fc_video *v) {
    try {
        delete v;
    } catch (...) {
    }
}

void fc_video_info(const fc_video *v, int *width, int *height, double *fps,
                   int64_t *frame_count) {
    *width = 0;
    *height = 0;
    *fps = 0;
    *frame_count = 0;
    if (v == nullptr) return;
    try {
        *width = static_cast<int>(v->capture.get(cv::CAP_PROP_FRAME_WIDTH));
        *height = static_cast<int>(v->capture.get(cv::CAP_PROP_FRAME_HEIGHT));
        *fps = v->capture.get(cv::CAP_PROP_FPS);
        *frame_count = static_cast<int64_t>(v->capture.get(cv::CAP_PROP_FRAME_COUNT));
    } catch (...) {
    }
}

fc_status fc_video_read(fc_video *v, fc_mat *m, int *got) {
    *got = 0;
    return fc::guard("read video frame", [&]() -> fc_status {
        if (v == nullptr || m == nullptr)
            return fc::fail(FC_BAD_ARGUMENT, "read video frame: null handle");
        if (!v->capture.read(m->mat) || m->mat.empty()) return FC_OK;  // end of file
        if (m->mat.type() != CV_8UC3)
            return fc::fail(FC_BAD_INPUT, "read video frame: decoder gave a frame that is not 8-bit BGR");
        *got = 1;
        return FC_OK;
    });
}

}  // extern "C"
