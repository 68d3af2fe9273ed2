// cgemm's AVX2 + FMA path (CPUs without AVX-512): tiles of 8 rows x 8 columns,
// masked loads and stores for the column tail, bias and ReLU before the store.
#include "kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))
#define MR CGEMM_MR

TARGET static void tile8(int k, const float *a, int as, const float *b, int ldb, float *c, int ldc,
                         int rows, int cols, const float *bias, int relu) {
    __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols), lane);
    __m256 acc[MR];
    for (int r = 0; r < MR; ++r) acc[r] = _mm256_setzero_ps();
    for (int p = 0; p < k; ++p) {
        __m256 bv = _mm256_maskload_ps(b + (size_t)p * ldb, mask);
        const float *ap = a + (size_t)p * as;
        for (int r = 0; r < MR; ++r) acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(ap + r), bv, acc[r]);
    }
    __m256 zero = _mm256_setzero_ps();
    for (int r = 0; r < MR; ++r) {
        if (r >= rows) break;
        __m256 x = _mm256_add_ps(acc[r], bias ? _mm256_set1_ps(bias[r]) : zero);
        if (relu) x = _mm256_max_ps(x, zero);
        _mm256_maskstore_ps(c + (size_t)r * ldc, mask, x);
    }
}

TARGET void cgemm_run_avx2(int m, int n, int k, const float *packed, int panel, const float *b, int ldb,
                           float *c, int ldc, const float *bias, int relu) {
    const int nr = 8;
    int nc = cgemm_chunk_columns(k, nr);
    for (int j0 = 0; j0 < n; j0 += nc) {
        int jend = j0 + nc < n ? j0 + nc : n;
        for (int i0 = 0; i0 < m; i0 += MR) {
            const float *pa = cgemm_slice(packed, panel, k, i0);  // (k, MR) with per-k stride `panel`
            int rows = m - i0 < MR ? m - i0 : MR;
            const float *bi = bias ? bias + i0 : 0;
            for (int j = j0; j < jend; j += nr) {
                int cols = jend - j < nr ? jend - j : nr;
                tile8(k, pa, panel, b + j, ldb, c + (size_t)i0 * ldc + j, ldc, rows, cols, bi, relu);
            }
        }
    }
}

#else
void cgemm_run_avx2(int m, int n, int k, const float *packed, int panel, const float *b, int ldb,
                    float *c, int ldc, const float *bias, int relu) {
    cgemm_run_scalar(m, n, k, packed, panel, b, ldb, c, ldc, bias, relu);
}
#endif
