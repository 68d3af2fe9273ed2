// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Nothing of ours here.
#include <cblas.h>
// Thread control exported by OpenBLAS (not part of cblas.h on every build).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
