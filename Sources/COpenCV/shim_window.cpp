// highgui windows (Qt backend on Debian): open, show a BGR buffer, poll keys,
// ask whether the user closed the window. The display check lives in Swift:
// with no display Qt aborts the process before any exception could be caught.
#include "shim_internal.hpp"
#include <opencv2/highgui.hpp>

struct fc_window {
    std::string name;
};

extern "C" {

fc_status fc_window_open(const char *title, fc_window **out) {
    *out = nullptr;
    return fc::guard("open window", [&]() -> fc_status {
        if (title == nullptr || *title == 0) return fc::fail(FC_BAD_ARGUMENT, "open window: empty title");
        auto w = new fc_window{title};
        try {
            cv::namedWindow(w->name, cv::WINDOW_GUI_NORMAL | cv::WINDOW_AUTOSIZE | cv::WINDOW_KEEPRATIO);
        } catch (...) {
            delete w;
            throw;
        }
        *out = w;
        return FC_OK;
    });
}

void fc_window_free(fc_window *w) {
    if (w == nullptr) return;
    try {
        if (cv::getWindowProperty(w->name, cv::WND_PROP_VISIBLE) >= 0) cv::destroyWindow(w->name);
    } catch (...) {
    }
    delete w;
}

fc_status fc_window_show(fc_window *w, const uint8_t *bgr, int width, int height, int stride) {
    return fc::guard("show image", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (w == nullptr) return fc::fail(FC_BAD_ARGUMENT, "show image: null window");
        if (!fc::check_buffer("show image", bgr, width, height, stride, 3, &st)) return st;
        cv::imshow(w->name, fc::wrap(bgr, width, height, stride, 3));
        return FC_OK;
    });
}

int fc_window_poll_key(int milliseconds) {
    try {
        return milliseconds > 0 ? cv::waitKey(milliseconds) : cv::pollKey();
    } catch (...) {
        return -1;
    }
}

int fc_window_is_visible(fc_window *w) {
    if (w == nullptr) return 0;
    try {
        return cv::getWindowProperty(w->name, cv::WND_PROP_VISIBLE) >= 1.0 ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

}  // extern "C"
