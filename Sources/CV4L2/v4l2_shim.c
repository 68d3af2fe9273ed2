#include "CV4L2.h"
#include <libv4l2.h>
int fc_v4l2_placeholder(void) { return 0; }
