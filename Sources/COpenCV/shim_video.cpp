// Video files through FFmpeg's own libraries (libavformat demuxes, libavcodec
// decodes, libswscale converts to BGR), opened on first use (shim_library.hpp):
// OpenCV's videoio would map GStreamer, GDAL and ~240 other libraries into
// every run. Frames come out as OpenCV's FFmpeg backend gave them (BGR24,
// bicubic chroma, the stream's display rotation applied). Cameras are not
// opened here; the daemon reads V4L2 devices through its own shim.
#include "shim_internal.hpp"
#include "shim_library.hpp"
#include <cmath>
#include <initializer_list>
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libswscale/swscale.h>
}

namespace {

struct LibAVFormat : fc::Library {
    decltype(&avformat_open_input) open_input = nullptr;
    decltype(&avformat_find_stream_info) find_stream_info = nullptr;
    decltype(&av_find_best_stream) find_best_stream = nullptr;
    decltype(&av_guess_frame_rate) guess_frame_rate = nullptr;
    decltype(&av_stream_get_side_data) stream_side_data = nullptr;
    decltype(&av_read_frame) read_frame = nullptr;
    decltype(&avformat_close_input) close_input = nullptr;
    LibAVFormat() noexcept : Library(fc::libavformat()) {
        bind(open_input, "avformat_open_input");
        bind(find_stream_info, "avformat_find_stream_info");
        bind(find_best_stream, "av_find_best_stream");
        bind(guess_frame_rate, "av_guess_frame_rate");
        bind(stream_side_data, "av_stream_get_side_data");
        bind(read_frame, "av_read_frame");
        bind(close_input, "avformat_close_input");
    }
};

struct LibAVCodec : fc::Library {
    decltype(&avcodec_alloc_context3) alloc_context = nullptr;
    decltype(&avcodec_parameters_to_context) parameters_to_context = nullptr;
    decltype(&avcodec_open2) open = nullptr;
    decltype(&avcodec_send_packet) send_packet = nullptr;
    decltype(&avcodec_receive_frame) receive_frame = nullptr;
    decltype(&avcodec_free_context) free_context = nullptr;
    decltype(&av_packet_alloc) packet_alloc = nullptr;
    decltype(&av_packet_unref) packet_unref = nullptr;
    decltype(&av_packet_free) packet_free = nullptr;
    LibAVCodec() noexcept : Library(fc::libavcodec()) {
        bind(alloc_context, "avcodec_alloc_context3");
        bind(parameters_to_context, "avcodec_parameters_to_context");
        bind(open, "avcodec_open2");
        bind(send_packet, "avcodec_send_packet");
        bind(receive_frame, "avcodec_receive_frame");
        bind(free_context, "avcodec_free_context");
        bind(packet_alloc, "av_packet_alloc");
        bind(packet_unref, "av_packet_unref");
        bind(packet_free, "av_packet_free");
    }
};

struct LibAVUtil : fc::Library {
    decltype(&av_frame_alloc) frame_alloc = nullptr;
    decltype(&av_frame_free) frame_free = nullptr;
    decltype(&av_strerror) strerror = nullptr;
    decltype(&av_log_set_level) log_set_level = nullptr;
    decltype(&av_display_rotation_get) rotation = nullptr;
    LibAVUtil() noexcept : Library(fc::libavutil()) {
        bind(frame_alloc, "av_frame_alloc");
        bind(frame_free, "av_frame_free");
        bind(strerror, "av_strerror");
        bind(log_set_level, "av_log_set_level");
        bind(rotation, "av_display_rotation_get");
        if (log_set_level) log_set_level(AV_LOG_ERROR);  // as OpenCV's backend: errors only
    }
};

struct LibSWScale : fc::Library {
    decltype(&sws_getCachedContext) cached_context = nullptr;
    decltype(&sws_scale) scale = nullptr;
    decltype(&sws_freeContext) free_context = nullptr;
    LibSWScale() noexcept : Library(fc::libswscale()) {
        bind(cached_context, "sws_getCachedContext");
        bind(scale, "sws_scale");
        bind(free_context, "sws_freeContext");
    }
};

/// The four libraries, loaded together on the first video; error() names the first missing.
struct FFmpeg {
    LibAVUtil util;
    LibAVCodec codec;
    LibAVFormat format;
    LibSWScale sws;
    const std::string *error() const {
        for (const fc::Library *l : std::initializer_list<const fc::Library *>{&util, &codec, &format, &sws})
            if (!l->ok()) return &l->error();
        return nullptr;
    }
};

const FFmpeg &ffmpeg() {
    static const FFmpeg libs;
    return libs;
}

std::string describe(int err) {
    char text[128] = {0};
    if (ffmpeg().util.strerror(err, text, sizeof text) < 0) return "FFmpeg error " + std::to_string(err);
    return text;
}

}  // namespace

struct fc_video {
    const FFmpeg &av = ffmpeg();
    AVFormatContext *format = nullptr;
    AVCodecContext *decoder = nullptr;
    AVPacket *packet = nullptr;
    AVFrame *frame = nullptr;
    SwsContext *sws = nullptr;
    int stream = -1;
    int width = 0, height = 0;  // as displayed (after rotation)
    int rotation = 0;           // clockwise quarter turns to apply: 0..3
    double fps = 0;
    int64_t frame_count = 0;
    bool flushed = false;  // the end of the file was sent to the decoder
    cv::Mat decoded;       // (coded height, coded width, 3) BGR before rotation; used when rotation != 0

    ~fc_video() {
        if (sws) av.sws.free_context(sws);
        if (frame) av.util.frame_free(&frame);
        if (packet) av.codec.packet_free(&packet);
        if (decoder) av.codec.free_context(&decoder);
        if (format) av.format.close_input(&format);
    }
};

namespace {

/// Opens the container, the best video stream and its decoder; "" or why not.
std::string open_stream(fc_video &v, const std::string &path) {
    const FFmpeg &av = v.av;
    int err = av.format.open_input(&v.format, path.c_str(), nullptr, nullptr);
    if (err < 0) return describe(err);
    if ((err = av.format.find_stream_info(v.format, nullptr)) < 0) return "no stream information: " + describe(err);
    const ::AVCodec *codec = nullptr;
    v.stream = av.format.find_best_stream(v.format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (v.stream < 0 || codec == nullptr)
        return v.stream == AVERROR_DECODER_NOT_FOUND ? "no decoder for its video stream" : "no video stream";
    AVStream *st = v.format->streams[v.stream];
    v.decoder = av.codec.alloc_context(codec);
    if (v.decoder == nullptr) return "out of memory";
    if ((err = av.codec.parameters_to_context(v.decoder, st->codecpar)) < 0) return describe(err);
    v.decoder->thread_count = 0;  // FFmpeg picks one per core, as OpenCV's backend does
    if ((err = av.codec.open(v.decoder, codec, nullptr)) < 0) return "decoder: " + describe(err);
    v.packet = av.codec.packet_alloc();
    v.frame = av.util.frame_alloc();
    if (v.packet == nullptr || v.frame == nullptr) return "out of memory";

    const AVRational rate = av.format.guess_frame_rate(v.format, st, nullptr);
    v.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    if (st->nb_frames > 0) {
        v.frame_count = st->nb_frames;
    } else if (v.format->duration > 0 && v.fps > 0) {
        v.frame_count = static_cast<int64_t>(std::floor(v.format->duration / double(AV_TIME_BASE) * v.fps + 0.5));
    }
    if (const auto *matrix = reinterpret_cast<const int32_t *>(
            av.format.stream_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, nullptr))) {
        const double degrees = av.util.rotation(matrix);  // counterclockwise
        if (std::isfinite(degrees)) v.rotation = ((static_cast<int>(std::lround(-degrees / 90)) % 4) + 4) % 4;
    }
    const bool sideways = v.rotation % 2 == 1;
    v.width = sideways ? v.decoder->height : v.decoder->width;
    v.height = sideways ? v.decoder->width : v.decoder->height;
    return "";
}

/// Decodes until a frame is ready (1), the file ends (0) or it fails (<0).
int decode_next(fc_video &v) {
    const FFmpeg &av = v.av;
    for (;;) {
        int err = av.codec.receive_frame(v.decoder, v.frame);
        if (err == 0) return 1;
        if (err == AVERROR_EOF) return 0;
        if (err != AVERROR(EAGAIN)) return err;
        if (v.flushed) return 0;
        err = av.format.read_frame(v.format, v.packet);
        if (err < 0) {  // end of file (or a read error at the end): drain the decoder
            v.flushed = true;
            av.codec.send_packet(v.decoder, nullptr);
            continue;
        }
        if (v.packet->stream_index == v.stream) {
            err = av.codec.send_packet(v.decoder, v.packet);
            // A damaged packet is skipped, as OpenCV's backend does; the next key frame recovers.
            if (err < 0 && err != AVERROR_INVALIDDATA && err != AVERROR(EAGAIN)) {
                av.codec.packet_unref(v.packet);
                return err;
            }
        }
        av.codec.packet_unref(v.packet);
    }
}

}  // namespace

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
                return fc::fail(FC_BAD_INPUT, "it is a directory");
            case fc::PathKind::file:
                break;
        }
        if (const std::string *missing = ffmpeg().error())
            return fc::fail(FC_UNAVAILABLE, *missing);
        auto *v = new fc_video();
        const std::string why = open_stream(*v, p);
        if (!why.empty()) {
            delete v;
            return fc::fail(FC_BAD_INPUT, why);  // the caller names the file
        }
        *out = v;
        return FC_OK;
    });
}

void fc_video_free(fc_video *v) { delete v; }

void fc_video_info(const fc_video *v, int *width, int *height, double *fps, int64_t *frame_count) {
    *width = v ? v->width : 0;
    *height = v ? v->height : 0;
    *fps = v ? v->fps : 0;
    *frame_count = v ? v->frame_count : 0;
}

fc_status fc_video_read(fc_video *v, fc_mat *m, int *got) {
    *got = 0;
    return fc::guard("read video frame", [&]() -> fc_status {
        if (v == nullptr || m == nullptr) return fc::fail(FC_BAD_ARGUMENT, "read video frame: null handle");
        const int r = decode_next(*v);
        if (r == 0) return FC_OK;  // end of file
        if (r < 0) return fc::fail(FC_BAD_INPUT, "read video frame: " + describe(r));
        const AVFrame *f = v->frame;
        v->sws = v->av.sws.cached_context(v->sws, f->width, f->height, static_cast<AVPixelFormat>(f->format),
                                          f->width, f->height, AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr,
                                          nullptr);
        if (v->sws == nullptr) return fc::fail(FC_BAD_INPUT, "read video frame: no conversion to BGR from this pixel format");
        cv::Mat &bgr = v->rotation == 0 ? m->mat : v->decoded;  // (f->height, f->width, 3)
        bgr.create(f->height, f->width, CV_8UC3);
        uint8_t *dst[4] = {bgr.data, nullptr, nullptr, nullptr};
        int dst_stride[4] = {static_cast<int>(bgr.step[0]), 0, 0, 0};
        v->av.sws.scale(v->sws, f->data, f->linesize, 0, f->height, dst, dst_stride);
        if (v->rotation != 0) {
            static const cv::RotateFlags turn[] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_90_CLOCKWISE,
                                                    cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE};
            cv::rotate(bgr, m->mat, turn[v->rotation]);
        }
        *got = 1;
        return FC_OK;
    });
}

}  // extern "C"
