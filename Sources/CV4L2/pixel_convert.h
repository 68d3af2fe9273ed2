// Private to CV4L2: the pixel-format conversions v4l2_shim.c calls per frame.
#ifndef FC_PIXEL_CONVERT_H
#define FC_PIXEL_CONVERT_H

#include "CV4L2.h"

#include <stddef.h>
#include <stdint.h>

/// Converts one frame of `in->stream_fourcc` (len bytes at src, rows of
/// in->bytes_per_line) into gray (width*height) and bgr (width*height*3).
/// Returns 0, -1 when the buffer is shorter than the format needs, -2 for a
/// format this file does not convert.
int fc_pixel_convert(const fc_v4l2_info *in, const uint8_t *src, size_t len, uint8_t *gray, uint8_t *bgr);

#endif
