// Image codecs: decode bytes (any format imdecode knows) to BGR, encode
// JPEG/PNG, through OpenCV's imgcodecs opened on first use (shim_library.hpp).
// Reading files from disk and error wording per path is Swift's job.
#include "shim_internal.hpp"
#include "shim_library.hpp"
#include <opencv2/imgcodecs.hpp>
#include <cstdlib>
#include <cstring>

namespace {

/// cv::imdecode and cv::imencode from libopencv_imgcodecs, bound by their mangled names.
struct Codecs : fc::Library {
    decltype(static_cast<cv::Mat (*)(cv::InputArray, int)>(&cv::imdecode)) imdecode = nullptr;
    decltype(&cv::imencode) imencode = nullptr;
    Codecs() noexcept : Library(fc::opencv_imgcodecs()) {
        bind(imdecode, "_ZN2cv8imdecodeERKNS_11_InputArrayEi");
        bind(imencode, "_ZN2cv8imencodeERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERKNS_11_InputArrayERSt6vectorIhSaIhEERKSB_IiSaIiEE");
    }
};

const Codecs &codecs() {
    static const Codecs table;
    return table;
}

}  // namespace

extern "C" {

fc_status fc_image_decode(const uint8_t *bytes, size_t length, fc_mat *m) {
    return fc::guard("decode image", [&]() -> fc_status {
        if (m == nullptr) return fc::fail(FC_BAD_ARGUMENT, "decode image: null matrix");
        m->mat.release();
        const Codecs &c = codecs();
        if (!c.ok()) return fc::fail(FC_UNAVAILABLE, c.error());
        if (bytes == nullptr || length == 0)
            return fc::fail(FC_BAD_INPUT, "decode image: no bytes");
        const cv::Mat buf(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t *>(bytes));
        m->mat = c.imdecode(buf, cv::IMREAD_COLOR);
        if (m->mat.empty())
            return fc::fail(FC_BAD_INPUT, "decode image: " + std::to_string(length) +
                                              " bytes are not an image OpenCV can decode");
        return FC_OK;
    });
}

fc_status fc_image_encode(const char *ext, const uint8_t *pixels, int width, int height,
                          int stride, int channels, int quality, uint8_t **out,
                          size_t *length) {
    *out = nullptr;
    *length = 0;
    return fc::guard("encode image", [&]() -> fc_status {
        fc_status st = FC_OK;
        if (!fc::check_buffer("encode image", pixels, width, height, stride, channels, &st)) return st;
        const Codecs &c = codecs();
        if (!c.ok()) return fc::fail(FC_UNAVAILABLE, c.error());
        const std::string e(ext ? ext : "");
        std::vector<int> params;
        if (e == ".jpg") {
            params = {cv::IMWRITE_JPEG_QUALITY, std::max(0, std::min(100, quality))};
        } else if (e != ".png") {
            return fc::fail(FC_BAD_ARGUMENT, "encode image: unsupported format '" + e +
                                                 "' (use .jpg or .png)");
        }
        std::vector<uchar> buf;
        if (!c.imencode(e, fc::wrap(pixels, width, height, stride, channels), buf, params) ||
            buf.empty())
            return fc::fail(FC_OPENCV_ERROR, "encode image: OpenCV could not encode " + e);
        auto *p = static_cast<uint8_t *>(std::malloc(buf.size()));
        if (p == nullptr) return fc::fail(FC_NO_MEMORY, "encode image: out of memory");
        std::memcpy(p, buf.data(), buf.size());
        *out = p;
        *length = buf.size();
        return FC_OK;
    });
}

}  // extern "C"
