// libv4l2 capture shim: open / negotiate / mmap streaming / dequeue / close and
// the list of capture devices. Each dequeued frame is turned into gray + BGR by
// pixel_convert.c; MJPEG, Bayer and the like arrive already converted to BGR24
// by libv4l2. No policy here: errors are returned as codes + message.
#define _GNU_SOURCE
#include "CV4L2.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#define FC_MAX_BUFFERS 16

static _Thread_local char fc_error[512];

static void set_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fc_error, sizeof fc_error, fmt, ap);
    va_end(ap);
}

const char *fc_v4l2_error_message(void) { return fc_error; }

struct fc_v4l2_device {
    int fd;
    int wake[2];                 // self-pipe: fc_v4l2_interrupt writes, read selects on [0]
    char path[256];
    uint32_t caps;
    fc_v4l2_info info;
    int streaming;
    uint32_t nbuffers;
    void *starts[FC_MAX_BUFFERS];
    size_t lengths[FC_MAX_BUFFERS];
};

static int xioctl(int fd, unsigned long req, void *arg) {
    int r;
    do { r = v4l2_ioctl(fd, req, arg); } while (r == -1 && errno == EINTR);
    return r;
}

// Raw ioctl on the driver, bypassing libv4l2's emulation (native formats).
static int raw_ioctl(int fd, unsigned long req, void *arg) {
    int r;
    do { r = ioctl(fd, req, arg); } while (r == -1 && errno == EINTR);
    return r;
}

// Printable four-character code: trailing spaces dropped, odd bytes as '?'
// (the big-endian flag sets the top bit of the last byte).
static void fourcc_str(uint32_t f, char out[5]) {
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)((f >> (8 * i)) & 0x7f);
        out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    out[4] = 0;
    for (int i = 3; i > 0 && out[i] == ' '; i--) out[i] = 0;
}

static fc_v4l2_status status_for_errno(int e) {
    switch (e) {
    case ENOENT: case ENXIO: return FC_V4L2_NO_DEVICE;
    case EBUSY: return FC_V4L2_BUSY;
    case EACCES: case EPERM: return FC_V4L2_PERMISSION;
    case ENODEV: return FC_V4L2_GONE;
    default: return FC_V4L2_IO;
    }
}

fc_v4l2_status fc_v4l2_open(const char *path, fc_v4l2_device **out) {
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        set_error("%s: %s", path, strerror(e));
        return status_for_errno(e);
    }
    if (!S_ISCHR(st.st_mode)) {
        set_error("%s: not a character device, so not a V4L2 device", path);
        return FC_V4L2_NOT_CAPTURE;
    }
    // Raw open + QUERYCAP first, so a node that is no V4L2 device at all is
    // reported by us (libv4l2 would print its own noise), then hand the fd to libv4l2.
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        set_error("%s: cannot open: %s", path, strerror(e));
        return status_for_errno(e);
    }
    struct v4l2_capability cap;
    memset(&cap, 0, sizeof cap);
    if (raw_ioctl(fd, VIDIOC_QUERYCAP, &cap) != 0) {
        int e = errno;
        close(fd);
        set_error("%s: not a V4L2 device (VIDIOC_QUERYCAP: %s)", path, strerror(e));
        return e == ENOTTY || e == EINVAL ? FC_V4L2_NOT_CAPTURE : status_for_errno(e);
    }
    if (v4l2_fd_open(fd, 0) < 0) {
        int e = errno;
        close(fd);
        set_error("%s: libv4l2 cannot take the device: %s", path, strerror(e));
        return status_for_errno(e);
    }
    uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) {
        v4l2_close(fd);
        set_error("%s (%s): not a video capture device (capabilities 0x%08x)", path, (char *)cap.card, caps);
        return FC_V4L2_NOT_CAPTURE;
    }
    if (!(caps & V4L2_CAP_STREAMING)) {
        v4l2_close(fd);
        set_error("%s (%s): capture device without streaming I/O (mmap) support", path, (char *)cap.card);
        return FC_V4L2_NOT_CAPTURE;
    }
    fc_v4l2_device *dev = calloc(1, sizeof *dev);
    if (!dev) { v4l2_close(fd); set_error("out of memory"); return FC_V4L2_IO; }
    dev->fd = fd;
    dev->caps = caps;
    if (pipe2(dev->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
        int e = errno;
        v4l2_close(fd); free(dev);
        set_error("pipe2: %s", strerror(e));
        return FC_V4L2_IO;
    }
    snprintf(dev->path, sizeof dev->path, "%s", path);
    snprintf(dev->info.driver, sizeof dev->info.driver, "%s", (char *)cap.driver);
    snprintf(dev->info.card, sizeof dev->info.card, "%s", (char *)cap.card);
    *out = dev;
    return FC_V4L2_OK;
}

int fc_v4l2_native_formats(fc_v4l2_device *dev, uint32_t *fourccs, int max) {
    int n = 0;
    for (uint32_t i = 0; n < max; i++) {
        struct v4l2_fmtdesc d;
        memset(&d, 0, sizeof d);
        d.index = i;
        d.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        if (raw_ioctl(dev->fd, VIDIOC_ENUM_FMT, &d) != 0) break;
        fourccs[n++] = d.pixelformat;
    }
    return n;
}

// Formats converted here (cheap, and the gray plane comes for free).
static const uint32_t direct_formats[] = {
    V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_UYVY, V4L2_PIX_FMT_NV12, V4L2_PIX_FMT_YUV420,
    V4L2_PIX_FMT_YVU420, V4L2_PIX_FMT_NV21, V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_BGR24,
    V4L2_PIX_FMT_RGB24,
};
#define N_DIRECT (sizeof direct_formats / sizeof direct_formats[0])

static int is_direct(uint32_t f) {
    for (size_t i = 0; i < N_DIRECT; i++) if (direct_formats[i] == f) return 1;
    return 0;
}

// Tries one format through libv4l2; returns 0 and fills fmt when the driver
// (or libv4l2's emulation) accepted exactly that pixel format.
static int try_set(fc_v4l2_device *dev, uint32_t w, uint32_t h, uint32_t fourcc, struct v4l2_format *fmt) {
    memset(fmt, 0, sizeof *fmt);
    fmt->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(dev->fd, VIDIOC_G_FMT, fmt) != 0) return -1;
    if (w) fmt->fmt.pix.width = w;
    if (h) fmt->fmt.pix.height = h;
    fmt->fmt.pix.pixelformat = fourcc;
    fmt->fmt.pix.field = V4L2_FIELD_ANY;
    fmt->fmt.pix.bytesperline = 0;
    fmt->fmt.pix.sizeimage = 0;
    if (xioctl(dev->fd, VIDIOC_S_FMT, fmt) != 0) return -1;
    return fmt->fmt.pix.pixelformat == fourcc ? 0 : -1;
}

fc_v4l2_status fc_v4l2_configure(fc_v4l2_device *dev, uint32_t width, uint32_t height,
                                 uint32_t fps, uint32_t fourcc, fc_v4l2_info *info) {
    if (!dev || dev->streaming) { set_error("configure: device not open or already streaming"); return FC_V4L2_INVALID; }
    // Another program streaming from the device makes every S_FMT fail with
    // EBUSY: find out with one raw, unchanged S_FMT (libv4l2 would print noise).
    struct v4l2_format cur;
    memset(&cur, 0, sizeof cur);
    cur.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (raw_ioctl(dev->fd, VIDIOC_G_FMT, &cur) == 0 && raw_ioctl(dev->fd, VIDIOC_S_FMT, &cur) != 0 && errno == EBUSY) {
        set_error("%s: another program is streaming from it", dev->path);
        return FC_V4L2_BUSY;
    }
    uint32_t native[128];
    int nnative = fc_v4l2_native_formats(dev, native, 128);
    char names[128 * 6] = {0};
    for (int i = 0; i < nnative && i < 40; i++) {
        char s[5]; fourcc_str(native[i], s);
        strcat(names, i ? " " : ""); strcat(names, s);
    }
    struct v4l2_format fmt;
    int ok = 0;
    if (fourcc) {
        int offered = 0;
        for (int i = 0; i < nnative; i++) if (native[i] == fourcc) offered = 1;
        char s[5]; fourcc_str(fourcc, s);
        if (!offered) {
            set_error("%s: the driver does not offer pixel format %s (it offers: %s)", dev->path, s, nnative ? names : "none");
            return FC_V4L2_NO_FORMAT;
        }
        if (is_direct(fourcc)) {
            ok = try_set(dev, width, height, fourcc, &fmt) == 0;
            dev->info.converted_by_libv4l2 = 0;
        } else {
            // Force the native format on the driver, then let libv4l2 convert it.
            struct v4l2_format raw;
            memset(&raw, 0, sizeof raw);
            raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
            raw_ioctl(dev->fd, VIDIOC_G_FMT, &raw);
            if (width) raw.fmt.pix.width = width;
            if (height) raw.fmt.pix.height = height;
            raw.fmt.pix.pixelformat = fourcc;
            raw.fmt.pix.field = V4L2_FIELD_ANY;
            ok = raw_ioctl(dev->fd, VIDIOC_S_FMT, &raw) == 0 && raw.fmt.pix.pixelformat == fourcc &&
                 try_set(dev, raw.fmt.pix.width, raw.fmt.pix.height, V4L2_PIX_FMT_BGR24, &fmt) == 0;
            dev->info.converted_by_libv4l2 = 1;
        }
        if (!ok) {
            set_error("%s: the driver refused pixel format %s at %ux%u", dev->path, s, width, height);
            return FC_V4L2_NO_FORMAT;
        }
    } else {
        for (size_t i = 0; i < N_DIRECT && !ok; i++) {
            int offered = 0;
            for (int j = 0; j < nnative; j++) if (native[j] == direct_formats[i]) offered = 1;
            if (offered && try_set(dev, width, height, direct_formats[i], &fmt) == 0) {
                ok = 1;
                dev->info.converted_by_libv4l2 = 0;
            }
        }
        if (!ok && try_set(dev, width, height, V4L2_PIX_FMT_BGR24, &fmt) == 0) {
            ok = 1;
            dev->info.converted_by_libv4l2 = 1;
        }
        if (!ok) {
            set_error("%s: no usable pixel format (driver offers: %s; libv4l2 cannot convert any of them to BGR24)",
                      dev->path, nnative ? names : "none");
            return FC_V4L2_NO_FORMAT;
        }
    }
    if (fmt.fmt.pix.width == 0 || fmt.fmt.pix.height == 0) {
        set_error("%s: driver returned an empty frame size", dev->path);
        return FC_V4L2_NO_FORMAT;
    }
    // The driver's own view of the format (what arrives over the wire).
    struct v4l2_format raw;
    memset(&raw, 0, sizeof raw);
    raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    uint32_t native_fourcc = fmt.fmt.pix.pixelformat;
    if (raw_ioctl(dev->fd, VIDIOC_G_FMT, &raw) == 0) native_fourcc = raw.fmt.pix.pixelformat;

    // Frame rate: ask, then read back what the driver chose.
    uint32_t fnum = 0, fden = 0;
    struct v4l2_streamparm parm;
    memset(&parm, 0, sizeof parm);
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(dev->fd, VIDIOC_G_PARM, &parm) == 0) {
        if (fps && (parm.parm.capture.capability & V4L2_CAP_TIMEPERFRAME)) {
            parm.parm.capture.timeperframe.numerator = 1;
            parm.parm.capture.timeperframe.denominator = fps;
            xioctl(dev->fd, VIDIOC_S_PARM, &parm);
            xioctl(dev->fd, VIDIOC_G_PARM, &parm);
        }
        fnum = parm.parm.capture.timeperframe.denominator;
        fden = parm.parm.capture.timeperframe.numerator;
    }
    dev->info.width = fmt.fmt.pix.width;
    dev->info.height = fmt.fmt.pix.height;
    dev->info.native_fourcc = native_fourcc;
    dev->info.stream_fourcc = fmt.fmt.pix.pixelformat;
    uint32_t min_bpl = fmt.fmt.pix.width;
    switch (fmt.fmt.pix.pixelformat) {
    case V4L2_PIX_FMT_YUYV: case V4L2_PIX_FMT_UYVY: min_bpl = fmt.fmt.pix.width * 2; break;
    case V4L2_PIX_FMT_BGR24: case V4L2_PIX_FMT_RGB24: min_bpl = fmt.fmt.pix.width * 3; break;
    default: break;
    }
    dev->info.bytes_per_line = fmt.fmt.pix.bytesperline >= min_bpl ? fmt.fmt.pix.bytesperline : min_bpl;
    dev->info.fps_numerator = fnum;
    dev->info.fps_denominator = fden;

    // Automatic choice, uncompressed format too slow at this size (webcams
    // often give YUYV 720p at 10 fps only): try MJPEG (decoded by libv4l2)
    // and keep it if it is faster, else go back to the uncompressed format.
    if (!fourcc && fps && !dev->info.converted_by_libv4l2 && fden && (double)fnum / fden < 0.9 * fps) {
        int mjpeg = 0;
        for (int i = 0; i < nnative; i++) if (native[i] == V4L2_PIX_FMT_MJPEG) mjpeg = 1;
        if (mjpeg) {
            fc_v4l2_info first = dev->info, second;
            double first_rate = (double)fnum / fden;
            int better = fc_v4l2_configure(dev, width, height, fps, V4L2_PIX_FMT_MJPEG, &second) == FC_V4L2_OK &&
                         second.fps_denominator &&
                         (double)second.fps_numerator / second.fps_denominator > first_rate &&
                         second.width == first.width && second.height == first.height;
            if (!better) return fc_v4l2_configure(dev, width, height, fps, first.native_fourcc, info);
        }
    }
    if (info) *info = dev->info;
    return FC_V4L2_OK;
}

fc_v4l2_status fc_v4l2_start(fc_v4l2_device *dev, uint32_t buffers) {
    if (!dev || dev->streaming || dev->info.width == 0) { set_error("start: configure the device first"); return FC_V4L2_INVALID; }
    if (buffers < 2) buffers = 2;
    if (buffers > FC_MAX_BUFFERS) buffers = FC_MAX_BUFFERS;
    struct v4l2_requestbuffers req;
    memset(&req, 0, sizeof req);
    req.count = buffers;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (xioctl(dev->fd, VIDIOC_REQBUFS, &req) != 0) {
        int e = errno;
        set_error("%s: VIDIOC_REQBUFS (mmap) failed: %s", dev->path, strerror(e));
        return e == EBUSY ? FC_V4L2_BUSY : status_for_errno(e);
    }
    if (req.count < 1) { set_error("%s: driver granted no mmap buffers", dev->path); return FC_V4L2_IO; }
    if (req.count > FC_MAX_BUFFERS) req.count = FC_MAX_BUFFERS;
    dev->nbuffers = req.count;
    for (uint32_t i = 0; i < dev->nbuffers; i++) {
        struct v4l2_buffer b;
        memset(&b, 0, sizeof b);
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        b.index = i;
        if (xioctl(dev->fd, VIDIOC_QUERYBUF, &b) != 0) {
            int e = errno;
            set_error("%s: VIDIOC_QUERYBUF %u: %s", dev->path, i, strerror(e));
            return status_for_errno(e);
        }
        void *p = v4l2_mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd, b.m.offset);
        if (p == MAP_FAILED) {
            int e = errno;
            set_error("%s: mmap of buffer %u failed: %s", dev->path, i, strerror(e));
            return status_for_errno(e);
        }
        dev->starts[i] = p;
        dev->lengths[i] = b.length;
        if (xioctl(dev->fd, VIDIOC_QBUF, &b) != 0) {
            int e = errno;
            set_error("%s: VIDIOC_QBUF %u: %s", dev->path, i, strerror(e));
            return status_for_errno(e);
        }
        if (i == 0) dev->info.timestamp_monotonic =
            (b.flags & V4L2_BUF_FLAG_TIMESTAMP_MASK) == V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC;
    }
    enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(dev->fd, VIDIOC_STREAMON, &type) != 0) {
        int e = errno;
        set_error("%s: VIDIOC_STREAMON: %s", dev->path, strerror(e));
        return e == EBUSY ? FC_V4L2_BUSY : status_for_errno(e);
    }
    dev->streaming = 1;
    return FC_V4L2_OK;
}

fc_v4l2_status fc_v4l2_read(fc_v4l2_device *dev, int timeout_ms,
                            uint8_t *gray, size_t gray_size,
                            uint8_t *bgr, size_t bgr_size,
                            double *timestamp, uint32_t *sequence) {
    if (!dev || !dev->streaming) { set_error("read: device is not streaming"); return FC_V4L2_INVALID; }
    size_t npix = (size_t)dev->info.width * dev->info.height;
    if (gray_size < npix || (bgr && bgr_size < npix * 3)) {
        set_error("read: buffers too small for %ux%u", dev->info.width, dev->info.height);
        return FC_V4L2_INVALID;
    }
    for (;;) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(dev->fd, &fds);
        FD_SET(dev->wake[0], &fds);
        int maxfd = dev->fd > dev->wake[0] ? dev->fd : dev->wake[0];
        struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
        int r = select(maxfd + 1, &fds, NULL, NULL, timeout_ms < 0 ? NULL : &tv);
        if (r < 0) {
            if (errno == EINTR) continue;
            set_error("%s: select: %s", dev->path, strerror(errno));
            return FC_V4L2_IO;
        }
        if (r == 0) {
            set_error("%s: no frame within %d ms (camera stopped delivering?)", dev->path, timeout_ms);
            return FC_V4L2_TIMEOUT;
        }
        if (FD_ISSET(dev->wake[0], &fds)) {
            char c;
            while (read(dev->wake[0], &c, 1) > 0) {}
            set_error("%s: interrupted", dev->path);
            return FC_V4L2_INTERRUPTED;
        }
        struct v4l2_buffer b;
        memset(&b, 0, sizeof b);
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        if (xioctl(dev->fd, VIDIOC_DQBUF, &b) != 0) {
            int e = errno;
            if (e == EAGAIN) continue;
            set_error("%s: VIDIOC_DQBUF: %s%s", dev->path, strerror(e),
                      e == ENODEV ? " (camera unplugged?)" : "");
            return e == ENODEV ? FC_V4L2_GONE : FC_V4L2_IO;
        }
        int bad = (b.flags & V4L2_BUF_FLAG_ERROR) != 0 || b.index >= dev->nbuffers;
        int conv = bad ? -1 : fc_pixel_convert(&dev->info, dev->starts[b.index], b.bytesused ? b.bytesused : dev->lengths[b.index], gray, bgr);
        if (timestamp) *timestamp = (double)b.timestamp.tv_sec + (double)b.timestamp.tv_usec * 1e-6;
        if (sequence) *sequence = b.sequence;
        if (xioctl(dev->fd, VIDIOC_QBUF, &b) != 0) {
            int e = errno;
            set_error("%s: VIDIOC_QBUF: %s", dev->path, strerror(e));
            return e == ENODEV ? FC_V4L2_GONE : FC_V4L2_IO;
        }
        if (conv == -2) {
            char s[5]; fourcc_str(dev->info.stream_fourcc, s);
            set_error("%s: no converter for stream format %s", dev->path, s);
            return FC_V4L2_NO_FORMAT;
        }
        if (conv != 0) continue;   // short or corrupt frame: skip it, wait for the next
        return FC_V4L2_OK;
    }
}

void fc_v4l2_interrupt(fc_v4l2_device *dev) {
    if (!dev) return;
    char c = 1;
    ssize_t n = write(dev->wake[1], &c, 1);
    (void)n;
}

void fc_v4l2_close(fc_v4l2_device *dev) {
    if (!dev) return;
    if (dev->streaming) {
        enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        xioctl(dev->fd, VIDIOC_STREAMOFF, &type);
    }
    for (uint32_t i = 0; i < dev->nbuffers; i++)
        if (dev->starts[i]) v4l2_munmap(dev->starts[i], dev->lengths[i]);
    v4l2_close(dev->fd);
    close(dev->wake[0]);
    close(dev->wake[1]);
    free(dev);
}

static int cmp_str(const void *a, const void *b) {
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);   // /dev/video2 before /dev/video10
    return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

int fc_v4l2_list_capture_devices(char *buf, size_t size) {
    if (size) buf[0] = 0;
    DIR *d = opendir("/dev");
    if (!d) return 0;
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        if (strncmp(e->d_name, "video", 5) != 0) continue;
        char path[300];
        snprintf(path, sizeof path, "/dev/%s", e->d_name);
        int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) continue;
        struct v4l2_capability cap;
        memset(&cap, 0, sizeof cap);
        int ok = ioctl(fd, VIDIOC_QUERYCAP, &cap) == 0;
        close(fd);
        if (!ok) continue;
        uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
        if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) continue;
        names[n++] = strdup(path);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        int w = snprintf(buf + used, size > used ? size - used : 0, "%s%s", i ? "\n" : "", names[i]);
        if (w > 0 && used + (size_t)w < size) used += (size_t)w;
        free(names[i]);
    }
    return n;
}
