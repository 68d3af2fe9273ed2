// glibc's malloc.h for Swift (malloc_trim; Swift's Glibc module leaves it out). No code of ours.
#pragma once
#include <malloc.h>
