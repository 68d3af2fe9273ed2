// Plain C view of libmosquitto (Debian's libmosquitto-dev) for Swift: the
// library's own header, plus two helpers that hand back the library's constant
// strings for a return code. It speaks no MQTT itself and holds no policy
// (what to publish, when to retry): that lives in Swift (FERMQTT).
#pragma once
#include <mosquitto.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// mosquitto_strerror(rc), never NULL.
const char *cmq_error_text(int rc);

/// mosquitto_connack_string(code), never NULL (e.g. "Connection Refused: not authorised.").
const char *cmq_connack_text(int code);

/// The libmosquitto version linked at run time as "major.minor.revision" into buf (size >= 16).
void cmq_version(char *buf, int size);

#ifdef __cplusplus
}
#endif
