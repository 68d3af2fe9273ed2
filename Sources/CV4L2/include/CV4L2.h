// Plain C interface of the libv4l2 shim (filled in by the capture work).
#pragma once
int fc_v4l2_placeholder(void);
