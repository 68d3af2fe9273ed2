// cgemm's AVX-512 path: tiles of 8 rows x up to 48 columns (24 zmm accumulators),
// B read in place (row k of the tile is 1-3 contiguous vectors, the last masked),
// bias and ReLU applied before the one store. Columns are chunked so a chunk of B
// stays in L2 while all panels of A pass over it.
#include "kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f,fma")))
#define MR CGEMM_MR

TARGET __attribute__((always_inline)) static inline void
tile(const int nv, int k, const float *a, int as, const float *b, int ldb, float *c, int ldc,
     int rows, int cols, const float *bias, int relu) {
    int rem = cols - 16 * (nv - 1);
    __mmask16 last = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1);
    __m512 acc[MR][3];
    for (int r = 0; r < MR; ++r)
        for (int v = 0; v < nv; ++v) acc[r][v] = _mm512_setzero_ps();
    for (int p = 0; p < k; ++p) {
        const float *bp = b + (size_t)p * ldb;
        __m512 bv[3];
        for (int v = 0; v < nv; ++v)
            bv[v] = v == nv - 1 ? _mm512_maskz_loadu_ps(last, bp + 16 * v) : _mm512_loadu_ps(bp + 16 * v);
        const float *ap = a + (size_t)p * as;
        for (int r = 0; r < MR; ++r) {
            __m512 ar = _mm512_set1_ps(ap[r]);
            for (int v = 0; v < nv; ++v) acc[r][v] = _mm512_fmadd_ps(ar, bv[v], acc[r][v]);
        }
    }
    __m512 zero = _mm512_setzero_ps();
    for (int r = 0; r < MR; ++r) {
        if (r >= rows) break;
        __m512 br = bias ? _mm512_set1_ps(bias[r]) : zero;
        float *cr = c + (size_t)r * ldc;
        for (int v = 0; v < nv; ++v) {
            __m512 x = _mm512_add_ps(acc[r][v], br);
            if (relu) x = _mm512_max_ps(x, zero);
            if (v == nv - 1) _mm512_mask_storeu_ps(cr + 16 * v, last, x);
            else _mm512_storeu_ps(cr + 16 * v, x);
        }
    }
}

TARGET static void tile1(int k, const float *a, int as, const float *b, int ldb, float *c, int ldc, int rows, int cols, const float *bias, int relu) {
    tile(1, k, a, as, b, ldb, c, ldc, rows, cols, bias, relu);
}
TARGET static void tile2(int k, const float *a, int as, const float *b, int ldb, float *c, int ldc, int rows, int cols, const float *bias, int relu) {
    tile(2, k, a, as, b, ldb, c, ldc, rows, cols, bias, relu);
}
TARGET static void tile3(int k, const float *a, int as, const float *b, int ldb, float *c, int ldc, int rows, int cols, const float *bias, int relu) {
    tile(3, k, a, as, b, ldb, c, ldc, rows, cols, bias, relu);
}

TARGET void cgemm_run_avx512(int m, int n, int k, const float *packed, int panel, const float *b, int ldb,
                             float *c, int ldc, const float *bias, int relu) {
    const int nr = 48;
    int nc = cgemm_chunk_columns(k, nr);
    for (int j0 = 0; j0 < n; j0 += nc) {
        int jend = j0 + nc < n ? j0 + nc : n;
        for (int i0 = 0; i0 < m; i0 += MR) {
            const float *pa = cgemm_slice(packed, panel, k, i0);  // (k, MR) with per-k stride `panel`
            int rows = m - i0 < MR ? m - i0 : MR;
            const float *bi = bias ? bias + i0 : 0;
            float *ci = c + (size_t)i0 * ldc;
            for (int j = j0; j < jend; j += nr) {
                int cols = jend - j < nr ? jend - j : nr;
                if (cols > 32) tile3(k, pa, panel, b + j, ldb, ci + j, ldc, rows, cols, bi, relu);
                else if (cols > 16) tile2(k, pa, panel, b + j, ldb, ci + j, ldc, rows, cols, bi, relu);
                else tile1(k, pa, panel, b + j, ldb, ci + j, ldc, rows, cols, bi, relu);
            }
        }
    }
}

#else
void cgemm_run_avx512(int m, int n, int k, const float *packed, int panel, const float *b, int ldb,
                      float *c, int ldc, const float *bias, int relu) {
    cgemm_run_scalar(m, n, k, packed, panel, b, ldb, c, ldc, bias, relu);
}
#endif
