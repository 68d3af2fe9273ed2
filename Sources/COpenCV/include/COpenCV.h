// Plain C interface of the OpenCV shim (filled in by the shim work).
#pragma once
#ifdef __cplusplus
extern "C" {
#endif
int fc_cv_version_major(void);
#ifdef __cplusplus
}
#endif
