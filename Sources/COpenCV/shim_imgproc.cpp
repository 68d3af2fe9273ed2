// Image processing over caller-owned buffers: resize, histogram
// equalization, BGR <-> gray. No crop or normalization policy here.
#include "shim_internal.hpp"
#include <opencv2/imgproc.hpp>

extern "C" {

fc_status fc_resize(const uint8_t *src, int src_width, int src_height, int src_stride,
                    uint8_t *dst, int dst_width, int dst_height, int dst_stride,
                    int channels, int interpolation) {
    return fc::guard("resize", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("resize source", src, src_width, src_height, src_stride, channels, &st)) return st;
        if (!fc::check_buffer("resize destination", dst, dst_width, dst_height, dst_stride, channels, &st)) return st;
        if (interpolation != FC_INTER_NEAREST && interpolation != FC_INTER_LINEAR &&
            interpolation != FC_INTER_AREA)
            return fc::fail(FC_BAD_ARGUMENT, "resize: unknown interpolation " + std::to_string(interpolation));
        const cv::Mat s = fc::wrap(src, src_width, src_height, src_stride, channels);
        cv::Mat d = fc::wrap(dst, dst_width, dst_height, dst_stride, channels);
        cv::resize(s, d, d.size(), 0, 0, interpolation);
        return fc::wrote_in_place(d, dst, "resize");
    });
}

fc_status fc_equalize_hist(const uint8_t *src, int width, int height, int src_stride,
                           uint8_t *dst, int dst_stride) {
    return fc::guard("equalize histogram", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("equalize source", src, width, height, src_stride, 1, &st)) return st;
        if (!fc::check_buffer("equalize destination", dst, width, height, dst_stride, 1, &st)) return st;
        const cv::Mat s = fc::wrap(src, width, height, src_stride, 1);
        cv::Mat d = fc::wrap(dst, width, height, dst_stride, 1);
        cv::equalizeHist(s, d);
        return fc::wrote_in_place(d, dst, "equalize histogram");
    });
}

fc_status fc_bgr_to_gray(const uint8_t *bgr, int width, int height, int bgr_stride,
                         uint8_t *gray, int gray_stride) {
    return fc::guard("BGR to gray", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("BGR to gray source", bgr, width, height, bgr_stride, 3, &st)) return st;
        if (!fc::check_buffer("BGR to gray destination", gray, width, height, gray_stride, 1, &st)) return st;
        const cv::Mat s = fc::wrap(bgr, width, height, bgr_stride, 3);
        cv::Mat d = fc::wrap(gray, width, height, gray_stride, 1);
        cv::cvtColor(s, d, cv::COLOR_BGR2GRAY);
        return fc::wrote_in_place(d, gray, "BGR to gray");
    });
}

fc_status fc_gray_to_bgr(const uint8_t *gray, int width, int height, int gray_stride,
                         uint8_t *bgr, int bgr_stride) {
    return fc::guard("gray to BGR", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("gray to BGR source", gray, width, height, gray_stride, 1, &st)) return st;
        if (!fc::check_buffer("gray to BGR destination", bgr, width, height, bgr_stride, 3, &st)) return st;
        const cv::Mat s = fc::wrap(gray, width, height, gray_stride, 1);
        cv::Mat d = fc::wrap(bgr, width, height, bgr_stride, 3);
        cv::cvtColor(s, d, cv::COLOR_GRAY2BGR);
        return fc::wrote_in_place(d, bgr, "gray to BGR");
    });
}

}  // extern "C"
