// Thin wrappers over libmosquitto's text helpers (see include/CMosquitto.h).
#include "CMosquitto.h"
#include <stdio.h>

const char *cmq_error_text(int rc) {
    const char *s = mosquitto_strerror(rc);
    return s ? s : "unknown error";
}

const char *cmq_connack_text(int code) {
    const char *s = mosquitto_connack_string(code);
    return s ? s : "unknown reason";
}

void cmq_version(char *buf, int size) {
    int major = 0, minor = 0, revision = 0;
    mosquitto_lib_version(&major, &minor, &revision);
    snprintf(buf, (size_t)size, "%d.%d.%d", major, minor, revision);
}
