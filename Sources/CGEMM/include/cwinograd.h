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

/// V = B^T d B for every 2x2-output tile of `plane` (h, w), pad 1: tile (ty, tx) with
/// ty = (h+1)/2, tx = (w+1)/2 goes to v[k * kstride + ty_i * tx + tx_i] for k in 0..<16.
void cwino_input_transform(int h, int w, const float *plane, float *v, size_t kstride, float *scratch);

/// plane (h, w) = A^T M A + bias, then max(0, .) when relu != 0, from the tiles'
/// products m[k * kstride + ty_i * tx + tx_i] (outputs past the plane's edge dropped).
void cwino_output_transform(int h, int w, const float *m, size_t kstride, float *plane, float bias, int relu);

#ifdef __cplusplus
}
#endif

#endif
