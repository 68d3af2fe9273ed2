// Plain C view of the few HDF5 reads a Keras file needs (Debian's libhdf5-dev,
// serial flavour): open a file (by path or from bytes in memory), test a path,
// read an attribute as strings, read a dataset's shape and its values as float.
// Every call is serialized by one lock (Debian's HDF5 is not built thread-safe)
// and returns an error code with a thread-local message instead of printing
// HDF5's error stack. It knows nothing of Keras: that is Swift (FERKeras).
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The message of this thread's last failed call ("" if none).
const char *ferh5_error(void);

/// Opens the HDF5 file at `path` read-only. Returns a handle > 0, or -1.
int64_t ferh5_open_path(const char *path);

/// Opens an HDF5 file image of `length` bytes held in memory (HDF5 copies it). Returns a handle > 0, or -1.
int64_t ferh5_open_image(const void *bytes, size_t length);

/// Closes a handle from ferh5_open_*.
void ferh5_close(int64_t file);

/// 1 when a group or dataset exists at `path` ("a/b/c", relative to the root), 0 when not, -1 on error.
int ferh5_exists(int64_t file, const char *path);

/// Attribute `name` of the object at `path` ("/" for the root) as strings: a scalar string, or a
/// 1-D array of strings (fixed or variable length); an empty array of any type gives 0 strings.
/// On success returns the count and sets *out to a malloc'd block of that many NUL-terminated
/// strings back to back (*bytes long; free it with ferh5_free). -2 when the attribute does not exist, -1 on error.
int ferh5_attr_strings(int64_t file, const char *path, const char *name, char **out, size_t *bytes);

/// The shape of the dataset at `path`: returns its rank (0 for a scalar) and fills dims[0..rank),
/// or -1 on error (also when rank > max_rank or the values are not numbers).
int ferh5_dataset_shape(int64_t file, const char *path, int64_t *dims, int max_rank);

/// Reads all `count` values of the numeric dataset at `path`, converted to float, into out (count floats).
/// Returns 0, or -1 (count is not the dataset's size, not a number, a read error).
int ferh5_dataset_read_float(int64_t file, const char *path, float *out, size_t count);

/// Frees a block from ferh5_attr_strings.
void ferh5_free(void *p);

#ifdef __cplusplus
}
#endif
