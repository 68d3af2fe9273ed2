// Empty: CMalloc only exposes include/cmalloc.h (glibc's malloc.h) to Swift.
#include "cmalloc.h"
