// Pixel-format conversions of one captured V4L2 frame into the daemon's two
// images: 8-bit gray (w*h) and, when asked for, packed BGR (w*h*3), BT.601
// limited range. Formats: YUYV, UYVY, NV12, NV21, YU12, YV12, GREY, RGB24,
// BGR24. No device access and no allocation; everything else (MJPEG, Bayer,
// ...) is converted by libv4l2 to BGR24 before it reaches here.
#include "CV4L2.h"

#include <linux/videodev2.h>
#include <string.h>

static inline uint8_t clamp8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

static inline void yuv_to_bgr(int y, int u, int v, uint8_t *out) {
    int c = (y - 16) * 298, d = u - 128, e = v - 128;
    out[0] = clamp8((c + 516 * d + 128) >> 8);
    out[1] = clamp8((c - 100 * d - 208 * e + 128) >> 8);
    out[2] = clamp8((c + 409 * e + 128) >> 8);
}

// Packed 4:2:2: y0 at yo, u at uo, y1 at yo+2, v at vo (YUYV: 0,1,3; UYVY: 1,0,2).
static void convert_packed422(const uint8_t *src, uint32_t bpl, uint32_t w, uint32_t h,
                              int yo, int uo, int vo, uint8_t *gray, uint8_t *bgr) {
    for (uint32_t r = 0; r < h; r++) {
        const uint8_t *s = src + (size_t)r * bpl;
        uint8_t *g = gray + (size_t)r * w;
        if (!bgr) {
            for (uint32_t x = 0; x < w; x++) g[x] = s[2 * (size_t)x + yo];   // Y every 2 bytes
            continue;
        }
        uint8_t *o = bgr + (size_t)r * w * 3;
        for (uint32_t x = 0; x + 1 < w; x += 2, s += 4) {
            int u = s[uo], v = s[vo];
            g[x] = s[yo]; g[x + 1] = s[yo + 2];
            yuv_to_bgr(s[yo], u, v, o + x * 3);
            yuv_to_bgr(s[yo + 2], u, v, o + (x + 1) * 3);
        }
        if (w & 1) { g[w - 1] = s[yo]; yuv_to_bgr(s[yo], s[uo], s[vo], o + (w - 1) * 3); }
    }
}

// Planar / semi-planar 4:2:0. For semi-planar, u and v point into the
// interleaved plane with step 2; for planar, step 1.
static void convert_420(const uint8_t *y, uint32_t ybpl, const uint8_t *u, const uint8_t *v,
                        uint32_t cbpl, int step, uint32_t w, uint32_t h, uint8_t *gray, uint8_t *bgr) {
    for (uint32_t r = 0; r < h; r++) {
        const uint8_t *yr = y + (size_t)r * ybpl;
        const uint8_t *ur = u + (size_t)(r / 2) * cbpl, *vr = v + (size_t)(r / 2) * cbpl;
        uint8_t *g = gray + (size_t)r * w;
        memcpy(g, yr, w);
        if (!bgr) continue;
        uint8_t *o = bgr + (size_t)r * w * 3;
        for (uint32_t x = 0; x < w; x++) {
            size_t ci = (size_t)(x / 2) * step;
            yuv_to_bgr(yr[x], ur[ci], vr[ci], o + x * 3);
        }
    }
}

// One row of n packed pixels to gray; b and r are the offsets of blue and red (BGR: 0, 2; RGB: 2, 0).
static void row_to_gray(const uint8_t *px, uint32_t n, int b, int r, uint8_t *gray) {
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *p = px + (size_t)i * 3;   // Y = 0.114 B + 0.587 G + 0.299 R (fixed point)
        gray[i] = (uint8_t)((p[b] * 1868 + p[1] * 9617 + p[r] * 4899 + 8192) >> 14);
    }
}

int fc_pixel_convert(const fc_v4l2_info *in, const uint8_t *src, size_t len, uint8_t *gray, uint8_t *bgr) {
    uint32_t w = in->width, h = in->height, bpl = in->bytes_per_line;
    switch (in->stream_fourcc) {
    case V4L2_PIX_FMT_YUYV:
        if (len < (size_t)bpl * h) return -1;
        convert_packed422(src, bpl, w, h, 0, 1, 3, gray, bgr); return 0;
    case V4L2_PIX_FMT_UYVY:
        if (len < (size_t)bpl * h) return -1;
        convert_packed422(src, bpl, w, h, 1, 0, 2, gray, bgr); return 0;
    case V4L2_PIX_FMT_NV12: case V4L2_PIX_FMT_NV21: {
        size_t need = (size_t)bpl * h + (size_t)bpl * ((h + 1) / 2);
        if (len < need) return -1;
        const uint8_t *uv = src + (size_t)bpl * h;
        int nv12 = in->stream_fourcc == V4L2_PIX_FMT_NV12;
        convert_420(src, bpl, nv12 ? uv : uv + 1, nv12 ? uv + 1 : uv, bpl, 2, w, h, gray, bgr);
        return 0;
    }
    case V4L2_PIX_FMT_YUV420: case V4L2_PIX_FMT_YVU420: {
        uint32_t cbpl = bpl / 2;
        size_t ysz = (size_t)bpl * h, csz = (size_t)cbpl * ((h + 1) / 2);
        if (len < ysz + 2 * csz) return -1;
        const uint8_t *p1 = src + ysz, *p2 = src + ysz + csz;
        int yu12 = in->stream_fourcc == V4L2_PIX_FMT_YUV420;
        convert_420(src, bpl, yu12 ? p1 : p2, yu12 ? p2 : p1, cbpl, 1, w, h, gray, bgr);
        return 0;
    }
    case V4L2_PIX_FMT_GREY:
        if (len < (size_t)bpl * h) return -1;
        for (uint32_t r = 0; r < h; r++) {
            const uint8_t *s = src + (size_t)r * bpl;
            memcpy(gray + (size_t)r * w, s, w);
            if (!bgr) continue;
            uint8_t *o = bgr + (size_t)r * w * 3;
            for (uint32_t x = 0; x < w; x++) o[3 * x] = o[3 * x + 1] = o[3 * x + 2] = s[x];
        }
        return 0;
    case V4L2_PIX_FMT_BGR24: case V4L2_PIX_FMT_RGB24: {
        if (len < (size_t)bpl * (h - 1) + (size_t)w * 3) return -1;
        int swap = in->stream_fourcc == V4L2_PIX_FMT_RGB24;
        for (uint32_t r = 0; r < h; r++) {
            const uint8_t *s = src + (size_t)r * bpl;
            row_to_gray(s, w, swap ? 2 : 0, swap ? 0 : 2, gray + (size_t)r * w);
            if (!bgr) continue;
            uint8_t *o = bgr + (size_t)r * w * 3;
            if (!swap) memcpy(o, s, (size_t)w * 3);
            else for (uint32_t x = 0; x < w; x++) { o[3*x] = s[3*x+2]; o[3*x+1] = s[3*x+1]; o[3*x+2] = s[3*x]; }
        }
        return 0;
    }
    default:
        return -2;
    }
}

