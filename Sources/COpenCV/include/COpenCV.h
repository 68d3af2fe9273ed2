// Plain C interface of the OpenCV shim (implemented in C++ in ../*.cpp).
//
// What it does: thin calls into OpenCV 4.x (cascade detection, resize,
// equalize, colour conversion, image codecs, drawing, highgui windows, thread
// and log settings) and FFmpeg (video files) over caller-owned 8-bit buffers.
// Image codecs, windows and video files open their libraries on first use
// (fc_on_demand_libraries; FC_UNAVAILABLE when one is not installed).
// What it does not: any logic of ours (no crop policy, no normalization, no
// fallbacks); that lives in the Swift module FERVision.
//
// Error protocol: every function that can fail returns an fc_status; on
// failure fc_last_error() gives a message for the calling thread (valid until
// the next failing call on that thread). No C++ exception ever leaves a
// function of this header.
//
// Buffers: `stride` is the number of bytes between row starts (>= width *
// channels). Gray buffers have 1 channel, colour buffers 3 channels in BGR
// order. Memory returned through `uint8_t **` / `int32_t **` is malloc'd by
// the shim and must be released with fc_free().
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FC_OK = 0,
    FC_NOT_FOUND = 1,     // a file does not exist
    FC_BAD_INPUT = 2,     // a file or buffer exists but is not what was asked for
    FC_BAD_ARGUMENT = 3,  // invalid sizes, null pointers, unknown format
    FC_OPENCV_ERROR = 4,  // OpenCV raised an exception (message has its text)
    FC_NO_MEMORY = 5,
    FC_UNKNOWN_ERROR = 6,
    FC_UNAVAILABLE = 7    // a library opened on first use is missing (message names its package)
} fc_status;

/// Message of the last failure on this thread ("" if none).
const char *fc_last_error(void);
/// Releases memory handed out by the shim (boxes, encoded bytes).
void fc_free(void *p);

int fc_cv_version_major(void);
/// Sonames of the libraries opened on first use, space-separated ("libavformat.so.59 ...").
/// Image codecs map OpenCV's imgcodecs, windows its highgui, video files FFmpeg's libav*.
const char *fc_on_demand_libraries(void);

// ---- settings -------------------------------------------------------------
/// cv::setNumThreads (0 = sequential, negative = OpenCV's default).
void fc_set_num_threads(int n);
int fc_get_num_threads(void);
/// cv::utils::logging::setLogLevel: 0 silent, 1 fatal, 2 error, 3 warning, 4 info.
void fc_set_log_level(int level);

// ---- matrices (results whose size the caller cannot know in advance) -------
typedef struct fc_mat fc_mat;
fc_mat *fc_mat_new(void);
void fc_mat_free(fc_mat *m);
/// Size of the held image (0×0 when empty); channels is 1 or 3.
void fc_mat_info(const fc_mat *m, int *width, int *height, int *channels);
/// Copies the held image into dst (height rows of width*channels bytes).
fc_status fc_mat_copy_to(const fc_mat *m, uint8_t *dst, int dst_stride);

// ---- Haar / LBP cascades --------------------------------------------------
typedef struct fc_cascade fc_cascade;
/// Loads a cascade file. FC_NOT_FOUND if missing, FC_BAD_INPUT if not a
/// cascade (then fc_last_error() holds only the reason; the caller names the path).
fc_status fc_cascade_load(const char *path, fc_cascade **out);
void fc_cascade_free(fc_cascade *c);
/// The cascade's detection window (24×24 for the frontal-face Haar cascade):
/// the smallest face it can find at the image's own scale.
void fc_cascade_window(const fc_cascade *c, int *width, int *height);
/// detectMultiScale on an 8-bit gray buffer. Writes *count boxes into a
/// malloc'd array *boxes of (count, 4) int32 [x, y, w, h] (NULL when 0).
/// max_size <= 0 means no upper limit.
fc_status fc_cascade_detect(fc_cascade *c, const uint8_t *gray, int width, int height,
                            int stride, double scale_factor, int min_neighbors,
                            int min_size, int max_size, int32_t **boxes, int *count);

// ---- image processing over caller-owned buffers ---------------------------
enum { FC_INTER_NEAREST = 0, FC_INTER_LINEAR = 1, FC_INTER_AREA = 3 };
/// cv::resize between two buffers with the same channel count (1 or 3).
fc_status fc_resize(const uint8_t *src, int src_width, int src_height, int src_stride,
                    uint8_t *dst, int dst_width, int dst_height, int dst_stride,
                    int channels, int interpolation);
/// cv::equalizeHist, gray to gray (dst may equal src).
fc_status fc_equalize_hist(const uint8_t *src, int width, int height, int src_stride,
                           uint8_t *dst, int dst_stride);
/// cv::cvtColor BGR → gray.
fc_status fc_bgr_to_gray(const uint8_t *bgr, int width, int height, int bgr_stride,
                         uint8_t *gray, int gray_stride);
/// cv::cvtColor gray → BGR.
fc_status fc_gray_to_bgr(const uint8_t *gray, int width, int height, int gray_stride,
                         uint8_t *bgr, int bgr_stride);

// ---- codecs ---------------------------------------------------------------
/// cv::imdecode with IMREAD_COLOR into m (3 channels, BGR).
/// FC_BAD_INPUT when the bytes are not an image OpenCV can read.
fc_status fc_image_decode(const uint8_t *bytes, size_t length, fc_mat *m);
/// cv::imencode. ext is ".jpg" or ".png"; quality 0-100 is used for JPEG only.
/// channels 1 or 3. *out is malloc'd, *length bytes.
fc_status fc_image_encode(const char *ext, const uint8_t *pixels, int width, int height,
                          int stride, int channels, int quality, uint8_t **out,
                          size_t *length);

// ---- drawing on a BGR buffer (in place) -----------------------------------
/// Axis-aligned rectangle covering pixels x..x+w-1, y..y+h-1.
/// thickness < 0 fills it. 8-connected lines, no anti-aliasing.
fc_status fc_draw_rectangle(uint8_t *bgr, int width, int height, int stride, int x, int y,
                            int w, int h, uint8_t b, uint8_t g, uint8_t r, int thickness);
/// Line from (x0, y0) to (x1, y1), both ends included; 8-connected.
fc_status fc_draw_line(uint8_t *bgr, int width, int height, int stride, int x0, int y0,
                       int x1, int y1, uint8_t b, uint8_t g, uint8_t r, int thickness);
/// Circle centred at (cx, cy); thickness < 0 fills it; anti-aliased when antialias != 0.
fc_status fc_draw_circle(uint8_t *bgr, int width, int height, int stride, int cx, int cy,
                         int radius, uint8_t b, uint8_t g, uint8_t r, int thickness,
                         int antialias);
/// Text (Hershey simplex) with its baseline's left end at (x, y); anti-aliased.
fc_status fc_draw_text(uint8_t *bgr, int width, int height, int stride, const char *text,
                       int x, int y, double font_scale, uint8_t b, uint8_t g, uint8_t r,
                       int thickness);
/// Size of text drawn by fc_draw_text: width, height above the baseline and
/// the baseline's depth below it.
fc_status fc_text_size(const char *text, double font_scale, int thickness, int *width,
                       int *height, int *baseline);

// ---- video files ----------------------------------------------------------
typedef struct fc_video fc_video;
/// Opens a video file with FFmpeg's libavformat/libavcodec (frames as OpenCV's FFmpeg
/// backend gives them: BGR24, display rotation applied). FC_NOT_FOUND if the file is
/// missing, FC_BAD_INPUT if FFmpeg cannot open it (the message says why, without the path).
fc_status fc_video_open(const char *path, fc_video **out);
void fc_video_free(fc_video *v);
/// Container properties; frame_count is the container's estimate.
void fc_video_info(const fc_video *v, int *width, int *height, double *fps,
                   int64_t *frame_count);
/// Reads the next frame into m (BGR). *got is 0 at the end of the file.
fc_status fc_video_read(fc_video *v, fc_mat *m, int *got);

// ---- highgui windows ------------------------------------------------------
// Callers must make sure a display exists: with Qt highgui and no display,
// OpenCV aborts the process (no exception to catch).
typedef struct fc_window fc_window;
/// namedWindow(title, WINDOW_GUI_NORMAL | WINDOW_AUTOSIZE | WINDOW_KEEPRATIO).
fc_status fc_window_open(const char *title, fc_window **out);
/// Destroys the window (if still open) and frees the handle.
void fc_window_free(fc_window *w);
fc_status fc_window_show(fc_window *w, const uint8_t *bgr, int width, int height, int stride);
/// cv::waitKey(ms) for ms > 0, cv::pollKey() for ms <= 0; -1 when no key.
int fc_window_poll_key(int milliseconds);
/// 1 while the window exists and is visible, 0 after the user closed it.
int fc_window_is_visible(fc_window *w);

#ifdef __cplusplus
}
#endif
