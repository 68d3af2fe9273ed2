// highgui windows (Qt backend on Debian): open, show a BGR buffer, poll keys,
// ask whether the user closed the window, through OpenCV's highgui opened on
// first use (shim_library.hpp). The display check lives in Swift: with no
// display Qt aborts the process before any exception could be caught.
#include "shim_internal.hpp"
#include "shim_library.hpp"
#include <opencv2/highgui.hpp>

namespace {

/// The highgui calls a window needs, bound by their mangled names.
struct HighGUI : fc::Library {
    decltype(&cv::namedWindow) namedWindow = nullptr;
    decltype(&cv::destroyWindow) destroyWindow = nullptr;
    decltype(&cv::getWindowProperty) getWindowProperty = nullptr;
    decltype(static_cast<void (*)(const cv::String &, cv::InputArray)>(&cv::imshow)) imshow = nullptr;
    decltype(&cv::waitKey) waitKey = nullptr;
    decltype(&cv::pollKey) pollKey = nullptr;
    HighGUI() noexcept : Library(fc::opencv_highgui()) {
        bind(namedWindow, "_ZN2cv11namedWindowERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEi");
        bind(destroyWindow, "_ZN2cv13destroyWindowERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE");
        bind(getWindowProperty, "_ZN2cv17getWindowPropertyERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEi");
        bind(imshow, "_ZN2cv6imshowERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERKNS_11_InputArrayE");
        bind(waitKey, "_ZN2cv7waitKeyEi");
        bind(pollKey, "_ZN2cv7pollKeyEv");
    }
};

const HighGUI &highgui() {
    static const HighGUI table;
    return table;
}

}  // namespace

struct fc_window {
    std::string name;
};

extern "C" {

fc_status fc_window_open(const char *title, fc_window **out) {
    *out = nullptr;
    return fc::guard("open window", [&]() -> fc_status {
        if (title == nullptr || *title == 0) return fc::fail(FC_BAD_ARGUMENT, "open window: empty title");
        const HighGUI &g = highgui();
        if (!g.ok()) return fc::fail(FC_UNAVAILABLE, g.error());
        auto w = new fc_window{title};
        try {
            g.namedWindow(w->name, cv::WINDOW_GUI_NORMAL | cv::WINDOW_AUTOSIZE | cv::WINDOW_KEEPRATIO);
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
        const HighGUI &g = highgui();  // loaded: the window was opened with it
        if (g.getWindowProperty(w->name, cv::WND_PROP_VISIBLE) >= 0) g.destroyWindow(w->name);
    } catch (...) {
    }
    delete w;
}

fc_status fc_window_show(fc_window *w, const uint8_t *bgr, int width, int height, int stride) {
    return fc::guard("show image", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (w == nullptr) return fc::fail(FC_BAD_ARGUMENT, "show image: null window");
        if (!fc::check_buffer("show image", bgr, width, height, stride, 3, &st)) return st;
        highgui().imshow(w->name, fc::wrap(bgr, width, height, stride, 3));
        return FC_OK;
    });
}

int fc_window_poll_key(int milliseconds) {
    try {
        const HighGUI &g = highgui();
        if (!g.ok()) return -1;
        return milliseconds > 0 ? g.waitKey(milliseconds) : g.pollKey();
    } catch (...) {
        return -1;
    }
}

int fc_window_is_visible(fc_window *w) {
    if (w == nullptr) return 0;
    try {
        return highgui().getWindowProperty(w->name, cv::WND_PROP_VISIBLE) >= 1.0 ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

}  // extern "C"
