// cgemm: a single-threaded SGEMM for inference whose left operand (the weights)
// is packed once, ahead of time. C (M, N) = A (M, K) x B (K, N) + bias[m], then
// an optional ReLU, all row-major; C is overwritten (no beta). Kernels: AVX-512
// (8 rows x 48 columns on narrow panels, 32 rows x 12 columns on wide ones),
// AVX2+FMA (8 x 8) and plain C, picked at run time from the CPU. It does not
// thread, transpose, or handle column-major data.
#ifndef CGEMM_H
#define CGEMM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rows per packed panel of A: narrow panels suit most shapes; wide ones let the
/// AVX-512 path vectorise along M, which wastes no lane when N is small or odd
/// (e.g. 36) and K is deep.
#define CGEMM_PANEL_NARROW 8
#define CGEMM_PANEL_WIDE 32

typedef enum {
    CGEMM_PATH_AUTO = 0,    // the best one the CPU supports
    CGEMM_PATH_SCALAR = 1,  // plain C, any CPU
    CGEMM_PATH_AVX2 = 2,    // AVX2 + FMA
    CGEMM_PATH_AVX512 = 3,  // AVX-512 F
} cgemm_path;

/// The fastest path this CPU supports.
cgemm_path cgemm_best_path(void);

/// Floats a packed copy of an (m, k) matrix takes: ceil(m / panel) * panel * k.
/// `panel` is CGEMM_PANEL_NARROW or CGEMM_PANEL_WIDE.
size_t cgemm_packed_count(int m, int k, int panel);

/// Packs A (m, k), row stride lda, into `packed` (cgemm_packed_count(m, k, panel)
/// floats, 64-byte aligned): panels of `panel` rows, each (k, panel), rows past m zero.
void cgemm_pack(int m, int k, const float *a, int lda, int panel, float *packed);

/// C (m, n; row stride ldc) = packedA (m, k) x B (k, n; row stride ldb) + bias[row]
/// (bias may be NULL), then max(0, .) when relu != 0. `panel` is the one A was packed
/// with. `path` is clamped to what the CPU supports; the path used is returned.
/// Allocates nothing.
cgemm_path cgemm_sgemm_packed(cgemm_path path, int m, int n, int k, const float *packed, int panel,
                              const float *b, int ldb, float *c, int ldc,
                              const float *bias, int relu);

#ifdef __cplusplus
}
#endif

#endif
