// cwinograd: Winograd F(2x2, 3x3) input/output transforms with AVX-512, 16 tiles
// of a tile row per vector, for a band of tile rows (so that the caller's
// transformed tiles stay in L2). The input plane is first split into the even and odd
// columns of its zero-padded rows, so that each of a tile's 4 source columns is
// one contiguous run. No GEMM, no weights here.
#include "cwinograd.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define TARGET __attribute__((target("avx512f")))

int cwino_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

size_t cwino_input_scratch(int h, int w) {
    int ty = (h + 1) / 2, tx = (w + 1) / 2;
    int ld = (tx + 1 + 15) / 16 * 16 + 16;  // tx + 1 values, room for a full last vector
    return (size_t)(2 * ty + 2) * 2 * ld;
}

static inline __mmask16 lanes(int n) { return n >= 16 ? (__mmask16)0xFFFF : n <= 0 ? 0 : (__mmask16)((1u << n) - 1); }

TARGET void cwino_input_transform(int h, int w, int by0, int by1, const float *plane, float *v, size_t kstride, float *scratch) {
    int tx = (w + 1) / 2;
    int ld = (tx + 1 + 15) / 16 * 16 + 16;
    int rows = 2 * (by1 - by0) + 2;  // padded rows 2by0 ... 2by1 + 1, i.e. source rows 2by0 - 1 ... 2by1
    // even[r][m] = padded(2by0 + r, 2m) = x(2by0 + r - 1, 2m - 1); odd[r][m] = padded(2by0 + r, 2m + 1) = x(2by0 + r - 1, 2m)
    float *even = scratch, *odd = scratch + (size_t)rows * ld;  // (rows, ld) each
    // Source columns 32c ... 32c+31 (zero past w) split into 16 even and 16 odd ones.
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    const __m512 zero = _mm512_setzero_ps();
    for (int r = 0; r < rows; ++r) {
        float *e = even + (size_t)r * ld, *o = odd + (size_t)r * ld;
        int iy = 2 * by0 + r - 1;
        if (iy < 0 || iy >= h) {
            for (int m = 0; m < ld; m += 16) { _mm512_storeu_ps(e + m, zero); _mm512_storeu_ps(o + m, zero); }
            continue;
        }
        const float *src = plane + (size_t)iy * w;
        _mm512_storeu_ps(e + ld - 16, zero);
        _mm512_storeu_ps(o + ld - 16, zero);
        e[0] = 0;
        for (int m = 0; m < ld - 16; m += 16) {
            int c0 = 2 * m;  // first source column of this chunk
            __m512 x0 = _mm512_maskz_loadu_ps(lanes(w - c0), src + c0);
            __m512 x1 = _mm512_maskz_loadu_ps(lanes(w - c0 - 16), src + c0 + 16);
            _mm512_storeu_ps(o + m, _mm512_permutex2var_ps(x0, evens, x1));      // o[m+i] = x(2(m+i))
            _mm512_storeu_ps(e + m + 1, _mm512_permutex2var_ps(x0, odds, x1));   // e[m+i+1] = x(2(m+i)+1)
        }
    }
    for (int by = by0; by < by1; ++by) {
        for (int b0 = 0; b0 < tx; b0 += 16) {
            __mmask16 mk = lanes(tx - b0);
            __m512 t[4][4];  // (B^T d)[i][s]
            __m512 d[4][4];
            for (int r = 0; r < 4; ++r) {
                const float *e = even + (size_t)(2 * (by - by0) + r) * ld + b0, *o = odd + (size_t)(2 * (by - by0) + r) * ld + b0;
                d[r][0] = _mm512_loadu_ps(e);
                d[r][1] = _mm512_loadu_ps(o);
                d[r][2] = _mm512_loadu_ps(e + 1);
                d[r][3] = _mm512_loadu_ps(o + 1);
            }
            for (int s = 0; s < 4; ++s) {
                t[0][s] = _mm512_sub_ps(d[0][s], d[2][s]);
                t[1][s] = _mm512_add_ps(d[1][s], d[2][s]);
                t[2][s] = _mm512_sub_ps(d[2][s], d[1][s]);
                t[3][s] = _mm512_sub_ps(d[1][s], d[3][s]);
            }
            float *base = v + (size_t)(by - by0) * tx + b0;
            for (int i = 0; i < 4; ++i) {
                _mm512_mask_storeu_ps(base + (size_t)(4 * i + 0) * kstride, mk, _mm512_sub_ps(t[i][0], t[i][2]));
                _mm512_mask_storeu_ps(base + (size_t)(4 * i + 1) * kstride, mk, _mm512_add_ps(t[i][1], t[i][2]));
                _mm512_mask_storeu_ps(base + (size_t)(4 * i + 2) * kstride, mk, _mm512_sub_ps(t[i][2], t[i][1]));
                _mm512_mask_storeu_ps(base + (size_t)(4 * i + 3) * kstride, mk, _mm512_sub_ps(t[i][1], t[i][3]));
            }
        }
    }
}

TARGET void cwino_output_transform(int h, int w, int by0, int by1, const float *m, size_t kstride, float *plane, float bias, int relu) {
    int tx = (w + 1) / 2;
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __m512 b = _mm512_set1_ps(bias), zero = _mm512_setzero_ps();
    for (int by = by0; by < by1; ++by) {
        for (int b0 = 0; b0 < tx; b0 += 16) {
            __mmask16 mk = lanes(tx - b0);
            const float *base = m + (size_t)(by - by0) * tx + b0;
            __m512 x[16];
            for (int k = 0; k < 16; ++k) x[k] = _mm512_maskz_loadu_ps(mk, base + (size_t)k * kstride);
            __m512 s0[4], s1[4];
            for (int j = 0; j < 4; ++j) {
                s0[j] = _mm512_add_ps(_mm512_add_ps(x[j], x[4 + j]), x[8 + j]);
                s1[j] = _mm512_sub_ps(_mm512_sub_ps(x[4 + j], x[8 + j]), x[12 + j]);
            }
            __m512 q[4];
            q[0] = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(s0[0], s0[1]), s0[2]), b);
            q[1] = _mm512_add_ps(_mm512_sub_ps(_mm512_sub_ps(s0[1], s0[2]), s0[3]), b);
            q[2] = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(s1[0], s1[1]), s1[2]), b);
            q[3] = _mm512_add_ps(_mm512_sub_ps(_mm512_sub_ps(s1[1], s1[2]), s1[3]), b);
            if (relu) for (int i = 0; i < 4; ++i) q[i] = _mm512_max_ps(q[i], zero);
            // Output columns 2*b0 ... 2*b0 + 31 of rows 2by and 2by+1, interleaved.
            int cols = w - 2 * b0;  // valid columns from 2*b0
            __mmask16 m0 = lanes(cols), m1 = lanes(cols - 16);
            for (int half = 0; half < 2; ++half) {
                int oy = 2 * by + half;
                if (oy >= h) break;
                float *row = plane + (size_t)oy * w + 2 * b0;
                __m512 a = q[2 * half], c = q[2 * half + 1];
                _mm512_mask_storeu_ps(row, m0, _mm512_permutex2var_ps(a, lo, c));
                if (cols > 16) _mm512_mask_storeu_ps(row + 16, m1, _mm512_permutex2var_ps(a, hi, c));
            }
        }
    }
}

#else
int cwino_available(void) { return 0; }
size_t cwino_input_scratch(int h, int w) { (void)h; (void)w; return 0; }
void cwino_input_transform(int h, int w, int by0, int by1, const float *plane, float *v, size_t kstride, float *scratch) {
    (void)h; (void)w; (void)by0; (void)by1; (void)plane; (void)v; (void)kstride; (void)scratch;
}
void cwino_output_transform(int h, int w, int by0, int by1, const float *m, size_t kstride, float *plane, float bias, int relu) {
    (void)h; (void)w; (void)by0; (void)by1; (void)m; (void)kstride; (void)plane; (void)bias; (void)relu;
}
#endif
