// cwinograd: AVX-512 input and output transforms of Winograd F(2x2, 3x3) for one
// (channel, sample) plane, vectorised over the tiles of a tile row. The weight
// transform and the 16 GEMMs between the two stay with the caller (FERNet's
// Winograd.swift), which also keeps a portable version of these transforms.
#ifndef CWINOGRAD_H
#define CWINOGRAD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Whether this CPU runs the transforms below (AVX-512 F).
int cwino_available(void);

/// Floats of scratch cwino_input_transform needs for an (h, w) plane.
size_t cwino_input_scratch(int h, int w);

/// V = B^T d B for the 2x2-output tiles of `plane` (h, w), pad 1, in tile rows
/// by0 ..< by1 (0 <= by0 < by1 <= (h+1)/2): tile (ty_i, tx_i), tx = (w+1)/2, goes to
/// v[k * kstride + (ty_i - by0) * tx + tx_i] for k in 0..<16.
void cwino_input_transform(int h, int w, int by0, int by1, const float *plane, float *v, size_t kstride, float *scratch);

/// Rows 2by0 ..< 2by1 of plane (h, w) = A^T M A + bias, then max(0, .) when relu != 0,
/// from the products m[k * kstride + (ty_i - by0) * tx + tx_i] of tile rows by0 ..< by1
/// (outputs past the plane's edge dropped).
void cwino_output_transform(int h, int w, int by0, int by1, const float *m, size_t kstride, float *plane, float bias, int relu);

#ifdef __cplusplus
}
#endif

#endif
