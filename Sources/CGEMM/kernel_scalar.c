// cgemm's plain C path: correct on any CPU, not fast. One output row at a time.
#include "kernels.h"

void cgemm_run_scalar(int m, int n, int k, const float *packed, int panel, const float *b, int ldb,
                      float *c, int ldc, const float *bias, int relu) {
    for (int i = 0; i < m; ++i) {
        const float *pa = packed + (size_t)(i / panel) * panel * k + i % panel;  // per-k stride `panel`
        float *ci = c + (size_t)i * ldc;
        float bi = bias ? bias[i] : 0.0f;
        for (int j = 0; j < n; ++j) ci[j] = 0.0f;
        for (int p = 0; p < k; ++p) {
            float a = pa[(size_t)p * panel];
            const float *bp = b + (size_t)p * ldb;
            for (int j = 0; j < n; ++j) ci[j] += a * bp[j];
        }
        for (int j = 0; j < n; ++j) {
            float v = ci[j] + bi;
            ci[j] = relu && v < 0.0f ? 0.0f : v;
        }
    }
}
