// Plain C interface of the libv4l2 capture shim: open a capture node, negotiate
// size / rate / pixel format, stream through mmap buffers, and hand each frame
// back as an 8-bit gray plane plus (when asked) a BGR24 image with the driver's timestamp.
// It does no image processing beyond pixel-format conversion and holds no
// policy (which device, what to do on errors): that lives in Swift (FERCam).
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result of every shim call. On anything but FC_V4L2_OK,
/// fc_v4l2_error_message() holds a one-line explanation (thread-local).
typedef enum {
    FC_V4L2_OK = 0,
    FC_V4L2_NO_DEVICE = 1,     // path does not exist (ENOENT, ENXIO)
    FC_V4L2_BUSY = 2,          // EBUSY: another program streams from it
    FC_V4L2_PERMISSION = 3,    // EACCES / EPERM
    FC_V4L2_NOT_CAPTURE = 4,   // exists but is no video capture device with streaming
    FC_V4L2_NO_FORMAT = 5,     // no pixel format we (or libv4l2) can turn into BGR/gray
    FC_V4L2_TIMEOUT = 6,       // no frame within the timeout
    FC_V4L2_GONE = 7,          // ENODEV: the device was unplugged
    FC_V4L2_IO = 8,            // EIO or another ioctl failure while streaming
    FC_V4L2_INTERRUPTED = 9,   // fc_v4l2_interrupt() was called
    FC_V4L2_INVALID = 10       // bad argument (buffer too small, wrong state)
} fc_v4l2_status;

/// Opaque handle to one opened capture node.
typedef struct fc_v4l2_device fc_v4l2_device;

/// What was negotiated with the driver.
typedef struct {
    uint32_t width, height;          // frame size in pixels
    uint32_t native_fourcc;          // pixel format the driver delivers ('YUYV', 'MJPG', ...)
    uint32_t stream_fourcc;          // format we dequeue: native, or BGR3 when libv4l2 converts
    uint32_t bytes_per_line;         // stride of the dequeued buffer (first plane)
    uint32_t fps_numerator;          // frame rate = numerator / denominator (0/0: driver did not say)
    uint32_t fps_denominator;
    int converted_by_libv4l2;        // 1 when libv4l2 converts native → BGR24
    int timestamp_monotonic;         // 1 when timestamps are CLOCK_MONOTONIC
    char driver[16];                 // e.g. "vivid", "uvcvideo"
    char card[32];                   // e.g. "vivid", "HD Webcam"
} fc_v4l2_info;

/// Opens `path` (e.g. "/dev/video0") and checks it is a streaming capture node.
fc_v4l2_status fc_v4l2_open(const char *path, fc_v4l2_device **out);

/// Negotiates the format. width/height/fps are requests (0 = driver default);
/// the driver may pick the nearest it supports, `info` says what it chose.
/// fourcc 0 = automatic: the first of YUYV, UYVY, NV12, YU12, YV12, NV21, GREY,
/// BGR24, RGB24 the driver offers natively (converted here), otherwise BGR24
/// from libv4l2 (MJPEG, Bayer, ...); when that uncompressed format cannot
/// reach 90 % of `fps` at this size and the driver offers MJPEG, MJPEG is used
/// if it is faster. A fourcc forces that native format.
fc_v4l2_status fc_v4l2_configure(fc_v4l2_device *dev, uint32_t width, uint32_t height,
                                 uint32_t fps, uint32_t fourcc, fc_v4l2_info *info);

/// Requests `buffers` mmap buffers (driver may change the count), queues them
/// and starts streaming.
fc_v4l2_status fc_v4l2_start(fc_v4l2_device *dev, uint32_t buffers);

/// Waits up to timeout_ms for the next frame, converts it into `gray`
/// (height*width bytes, stride width) and `bgr` (height*width*3, stride width*3;
/// NULL: gray only, when nothing draws) and requeues the buffer. `timestamp` is the driver's time in seconds
/// (see info.timestamp_monotonic), `sequence` the driver's frame counter.
fc_v4l2_status fc_v4l2_read(fc_v4l2_device *dev, int timeout_ms,
                            uint8_t *gray, size_t gray_size,
                            uint8_t *bgr, size_t bgr_size,
                            double *timestamp, uint32_t *sequence);

/// The conversion fc_v4l2_read applies: one frame of `in->stream_fourcc` (len
/// bytes at src, rows of in->bytes_per_line) into gray (width*height) and bgr
/// (width*height*3; NULL: gray only). Returns 0, -1 when the buffer is shorter
/// than the format needs, -2 for a format it does not convert. No device access.
int fc_pixel_convert(const fc_v4l2_info *in, const uint8_t *src, size_t len, uint8_t *gray, uint8_t *bgr);

/// Wakes a blocked fc_v4l2_read (from another thread); it returns
/// FC_V4L2_INTERRUPTED. Safe to call at any time before fc_v4l2_close.
void fc_v4l2_interrupt(fc_v4l2_device *dev);

/// Stops streaming, unmaps, closes. NULL is fine.
void fc_v4l2_close(fc_v4l2_device *dev);

/// Native pixel formats the driver enumerates (not libv4l2's emulated ones).
/// Returns how many were written (at most max).
int fc_v4l2_native_formats(fc_v4l2_device *dev, uint32_t *fourccs, int max);

/// Writes the paths of existing video capture nodes under /dev, separated by
/// '\n', into buf (NUL-terminated). Returns the number of devices found.
int fc_v4l2_list_capture_devices(char *buf, size_t size);

/// One-line explanation of the last failure on this thread.
const char *fc_v4l2_error_message(void);

#ifdef __cplusplus
}
#endif
