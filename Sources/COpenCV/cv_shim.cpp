#include "COpenCV.h"
#include <opencv2/core.hpp>
extern "C" int fc_cv_version_major(void) { return CV_VERSION_MAJOR; }
