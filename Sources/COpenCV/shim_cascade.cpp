// Cascade classifiers: load a Haar/LBP cascade file, run detectMultiScale on a
// caller's 8-bit gray buffer. Which file to load and what to do with the boxes
// is decided in Swift.
#include "shim_internal.hpp"
#include <opencv2/objdetect.hpp>
#include <cstdlib>

struct fc_cascade {
    cv::CascadeClassifier classifier;
};

extern "C" {

fc_status fc_cascade_load(const char *path, fc_cascade **out) {
    *out = nullptr;
    return fc::guard("load cascade", [&]() -> fc_status {
        if (path == nullptr) return fc::fail(FC_BAD_ARGUMENT, "load cascade: null path");
        const std::string p(path);
        switch (fc::path_kind(path)) {
            case fc::PathKind::missing:
                return fc::fail(FC_NOT_FOUND, "cascade file '" + p + "' does not exist");
            case fc::PathKind::directory:
                return fc::fail(FC_BAD_INPUT, "it is a directory");
            case fc::PathKind::file:
                break;
        }
        auto c = new fc_cascade();
        bool ok = false;
        std::string why;
        try {
            ok = c->classifier.load(p) && !c->classifier.empty();
            if (!ok) why = "OpenCV found no cascade in it";
        } catch (const cv::Exception &e) {
            why = "OpenCV could not parse it: " + e.err;
        } catch (...) {
            delete c;
            throw;
        }
        if (!ok) {
            delete c;
            return fc::fail(FC_BAD_INPUT, why);
        }
        *out = c;
        return FC_OK;
    });
}

void fc_cascade_free(fc_cascade *c) { delete c; }

void fc_cascade_window(const fc_cascade *c, int *width, int *height) {
    cv::Size s = c->classifier.getOriginalWindowSize();
    *width = s.width;
    *height = s.height;
}

fc_status fc_cascade_detect(fc_cascade *c, const uint8_t *gray, int width, int height,
                            int stride, double scale_factor, int min_neighbors,
                            int min_size, int max_size, int32_t **boxes, int *count) {
    *boxes = nullptr;
    *count = 0;
    return fc::guard("detect faces", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (c == nullptr) return fc::fail(FC_BAD_ARGUMENT, "detect faces: null cascade");
        if (!fc::check_buffer("detect faces", gray, width, height, stride, 1, &st)) return st;
        if (!(scale_factor > 1.0))
            return fc::fail(FC_BAD_ARGUMENT, "detect faces: scale factor " +
                                                 std::to_string(scale_factor) +
                                                 " must be greater than 1");
        std::vector<cv::Rect> rects;
        const cv::Mat img = fc::wrap(gray, width, height, stride, 1);
        c->classifier.detectMultiScale(img, rects, scale_factor, min_neighbors, 0,
                                       cv::Size(min_size, min_size),
                                       max_size > 0 ? cv::Size(max_size, max_size) : cv::Size());
        if (rects.empty()) return FC_OK;
        auto *out = static_cast<int32_t *>(std::malloc(rects.size() * 4 * sizeof(int32_t)));
        if (out == nullptr) return fc::fail(FC_NO_MEMORY, "detect faces: out of memory");
        for (size_t i = 0; i < rects.size(); ++i) {  // out is (count, 4): x, y, w, h
            out[4 * i + 0] = rects[i].x;
            out[4 * i + 1] = rects[i].y;
            out[4 * i + 2] = rects[i].width;
            out[4 * i + 3] = rects[i].height;
        }
        *boxes = out;
        *count = static_cast<int>(rects.size());
        return FC_OK;
    });
}

}  // extern "C"
