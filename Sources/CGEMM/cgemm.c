// cgemm: packing of A, path choice and the public entry point. The kernels
// live in kernel_*.c, one file per instruction set.
#include "cgemm.h"
#include "kernels.h"

cgemm_path cgemm_best_path(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return CGEMM_PATH_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CGEMM_PATH_AVX2;
#endif
    return CGEMM_PATH_SCALAR;
}

size_t cgemm_packed_count(int m, int k, int panel) {
    size_t panels = ((size_t)m + panel - 1) / panel;
    return panels * panel * (size_t)k;
}

void cgemm_pack(int m, int k, const float *a, int lda, int panel, float *packed) {
    int panels = (m + panel - 1) / panel;
    for (int p = 0; p < panels; ++p) {
        float *dst = packed + (size_t)p * panel * k;  // (k, panel)
        for (int r = 0; r < panel; ++r) {
            int row = p * panel + r;
            const float *src = a + (size_t)row * lda;
            for (int i = 0; i < k; ++i) dst[(size_t)i * panel + r] = row < m ? src[i] : 0.0f;
        }
    }
}

cgemm_path cgemm_sgemm_packed(cgemm_path path, int m, int n, int k, const float *packed, int panel,
                              const float *b, int ldb, float *c, int ldc,
                              const float *bias, int relu) {
    cgemm_path best = cgemm_best_path();
    if (path == CGEMM_PATH_AUTO || path > best) path = best;
    if (m <= 0 || n <= 0) return path;
    switch (path) {
    case CGEMM_PATH_AVX512:
        if (panel == CGEMM_PANEL_WIDE) cgemm_run_avx512_wide(m, n, k, packed, b, ldb, c, ldc, bias, relu);
        else cgemm_run_avx512(m, n, k, packed, panel, b, ldb, c, ldc, bias, relu);
        break;
    case CGEMM_PATH_AVX2: cgemm_run_avx2(m, n, k, packed, panel, b, ldb, c, ldc, bias, relu); break;
    default: cgemm_run_scalar(m, n, k, packed, panel, b, ldb, c, ldc, bias, relu); break;
    }
    return path;
}
