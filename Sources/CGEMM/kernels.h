// Internal: the per-path drivers behind cgemm_sgemm_packed. Each computes the
// whole product for packed A (panels of CGEMM_MR rows); none checks the CPU.
#ifndef CGEMM_KERNELS_H
#define CGEMM_KERNELS_H

#include "cgemm.h"

/// Rows per micro-tile of the narrow kernels; panels hold a whole number of them.
#define CGEMM_MR 8
#define CGEMM_MR_WIDE CGEMM_PANEL_WIDE

/// Start of the 8-row slice at row i0 of A packed in `panel`-row panels (per-k stride `panel`).
static inline const float *cgemm_slice(const float *packed, int panel, int k, int i0) {
    return packed + (size_t)(i0 / panel) * panel * k + i0 % panel;
}

void cgemm_run_scalar(int m, int n, int k, const float *packed, int panel, const float *b, int ldb,
                      float *c, int ldc, const float *bias, int relu);
void cgemm_run_avx2(int m, int n, int k, const float *packed, int panel, const float *b, int ldb,
                    float *c, int ldc, const float *bias, int relu);
/// A packed in panels of CGEMM_PANEL_WIDE rows.
void cgemm_run_avx512_wide(int m, int n, int k, const float *packed, const float *b, int ldb,
                           float *c, int ldc, const float *bias, int relu);
void cgemm_run_avx512(int m, int n, int k, const float *packed, int panel, const float *b, int ldb,
                      float *c, int ldc, const float *bias, int relu);

/// Columns of B per chunk so that a chunk (k, nc) stays in L2 while every panel of A
/// passes over it: a multiple of `step`, at least `step`.
static inline int cgemm_chunk_columns(int k, int step) {
    long budget = (512L * 1024) / 4 / (k > 0 ? k : 1);
    long nc = budget / step * step;
    return nc < step ? step : (int)nc;
}

#endif
