// zlib's interface (Debian: zlib1g-dev), used to read .gz datasets. Nothing of ours here.
#include <zlib.h>
