// Drawing primitives on a caller's BGR buffer: rectangle, line, circle, text
// and text measurement. Layout (labels, bars, plots) is composed in Swift.
#include "shim_internal.hpp"
#include <opencv2/imgproc.hpp>

extern "C" {

fc_status fc_draw_rectangle(uint8_t *bgr, int width, int height, int stride, int x, int y,
                            int w, int h, uint8_t b, uint8_t g, uint8_t r, int thickness) {
    return fc::guard("draw rectangle", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("draw rectangle", bgr, width, height, stride, 3, &st)) return st;
        if (w <= 0 || h <= 0) return FC_OK;  // nothing to draw
        cv::Mat img = fc::wrap(bgr, width, height, stride, 3);
        cv::rectangle(img, cv::Point(x, y), cv::Point(x + w - 1, y + h - 1), cv::Scalar(b, g, r),
                      thickness < 0 ? cv::FILLED : std::max(1, thickness), cv::LINE_8);
        return FC_OK;
    });
}

fc_status fc_draw_line(uint8_t *bgr, int width, int height, int stride, int x0, int y0,
                       int x1, int y1, uint8_t b, uint8_t g, uint8_t r, int thickness) {
    return fc::guard("draw line", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("draw line", bgr, width, height, stride, 3, &st)) return st;
        cv::Mat img = fc::wrap(bgr, width, height, stride, 3);
        cv::line(img, cv::Point(x0, y0), cv::Point(x1, y1), cv::Scalar(b, g, r),
                 std::max(1, thickness), cv::LINE_8);
        return FC_OK;
    });
}

fc_status fc_draw_circle(uint8_t *bgr, int width, int height, int stride, int cx, int cy,
                         int radius, uint8_t b, uint8_t g, uint8_t r, int thickness,
                         int antialias) {
    return fc::guard("draw circle", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("draw circle", bgr, width, height, stride, 3, &st)) return st;
        if (radius < 0) return FC_OK;
        cv::Mat img = fc::wrap(bgr, width, height, stride, 3);
        cv::circle(img, cv::Point(cx, cy), radius, cv::Scalar(b, g, r),
                   thickness < 0 ? cv::FILLED : std::max(1, thickness),
                   antialias ? cv::LINE_AA : cv::LINE_8);
        return FC_OK;
    });
}

fc_status fc_draw_text(uint8_t *bgr, int width, int height, int stride, const char *text,
                       int x, int y, double font_scale, uint8_t b, uint8_t g, uint8_t r,
                       int thickness) {
    return fc::guard("draw text", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("draw text", bgr, width, height, stride, 3, &st)) return st;
        if (text == nullptr) return fc::fail(FC_BAD_ARGUMENT, "draw text: null text");
        cv::Mat img = fc::wrap(bgr, width, height, stride, 3);
        cv::putText(img, text, cv::Point(x, y), cv::FONT_HERSHEY_SIMPLEX, font_scale,
                    cv::Scalar(b, g, r), std::max(1, thickness), cv::LINE_AA);
        return FC_OK;
    });
}

fc_status fc_text_size(const char *text, double font_scale, int thickness, int *width,
                       int *height, int *baseline) {
    *width = 0;
    *height = 0;
    *baseline = 0;
    return fc::guard("measure text", [&]() -> fc_status {
        if (text == nullptr) return fc::fail(FC_BAD_ARGUMENT, "measure text: null text");
        int base = 0;
        const cv::Size s = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, font_scale,
                                           std::max(1, thickness), &base);
        *width = s.width;
        *height = s.height;
        *baseline = base;
        return FC_OK;
    });
}

}  // extern "C"
