// The HDF5 reads of include/CHDF5.h over Debian's libhdf5 (serial). One lock
// around every call; HDF5's own error printing switched off; each failure
// leaves a thread-local message naming what failed and where.
#include "CHDF5.h"
#include <hdf5.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local char message[512];
static unsigned long image_counter;

static void fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
}

const char *ferh5_error(void) { return message; }

static void begin(void) {
    pthread_mutex_lock(&lock);
    message[0] = 0;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);  // errors come back as codes; nothing printed
}

static void end(void) { pthread_mutex_unlock(&lock); }

int64_t ferh5_open_path(const char *path) {
    begin();
    hid_t f = -1;
    if (H5Fis_hdf5(path) <= 0) {
        fail("not an HDF5 file (or unreadable)");
    } else {
        f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (f < 0) fail("HDF5 cannot open it (truncated or corrupt?)");
    }
    end();
    return f;
}

int64_t ferh5_open_image(const void *bytes, size_t length) {
    begin();
    hid_t f = -1;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0 || H5Pset_fapl_core(fapl, 1 << 20, 0) < 0 || H5Pset_file_image(fapl, (void *)bytes, length) < 0) {
        fail("HDF5 cannot take the file image of %zu bytes", length);
    } else {
        // The core driver tells open files apart by name: give each image its own.
        char name[64];
        snprintf(name, sizeof name, "fer-cam-image-%lu", ++image_counter);
        f = H5Fopen(name, H5F_ACC_RDONLY, fapl);
        if (f < 0) fail("not an HDF5 file image (truncated or corrupt?)");
    }
    if (fapl >= 0) H5Pclose(fapl);
    end();
    return f;
}

void ferh5_close(int64_t file) {
    begin();
    if (file > 0) H5Fclose((hid_t)file);
    end();
}

// 1 when every component of `path` exists as a link, 0 when one does not, -1 on error.
static int links_exist(hid_t file, const char *path) {
    if (path[0] == 0 || strcmp(path, "/") == 0) return 1;
    size_t n = strlen(path);
    char *prefix = malloc(n + 1);
    if (!prefix) { fail("out of memory"); return -1; }
    int result = 1;
    for (size_t i = 0; i <= n && result == 1; i++) {
        if (path[i] != '/' && path[i] != 0) continue;
        if (i == 0) continue;
        memcpy(prefix, path, i);
        prefix[i] = 0;
        htri_t e = H5Lexists(file, prefix, H5P_DEFAULT);
        if (e < 0) { fail("cannot look up %s", prefix); result = -1; }
        else if (e == 0) result = 0;
    }
    free(prefix);
    return result;
}

int ferh5_exists(int64_t file, const char *path) {
    begin();
    int r = links_exist((hid_t)file, path);
    end();
    return r;
}

// Reads attribute `a` (open) as strings into a malloc'd block; returns the count or -1.
static int read_strings(hid_t a, const char *where, char **out, size_t *bytes) {
    int count = -1;
    hid_t type = H5Aget_type(a), space = H5Aget_space(a), mem = -1;
    if (type < 0 || space < 0) { fail("%s: cannot read its type", where); goto done; }
    int rank = H5Sget_simple_extent_ndims(space);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    if (rank < 0 || rank > 1 || n < 0) { fail("%s: not a scalar or a list", where); goto done; }
    if (n == 0) { *out = malloc(1); *bytes = 0; count = 0; goto done; }
    if (H5Tget_class(type) != H5T_STRING) { fail("%s: not text", where); goto done; }
    if (H5Tis_variable_str(type) > 0) {
        char **items = calloc((size_t)n, sizeof(char *));
        mem = H5Tcopy(H5T_C_S1);
        H5Tset_size(mem, H5T_VARIABLE);
        H5Tset_cset(mem, H5Tget_cset(type));
        if (!items || H5Aread(a, mem, items) < 0) { fail("%s: cannot read its text", where); free(items); goto done; }
        size_t total = 0;
        for (hssize_t i = 0; i < n; i++) total += (items[i] ? strlen(items[i]) : 0) + 1;
        char *block = malloc(total), *p = block;
        if (block) {
            for (hssize_t i = 0; i < n; i++) {
                size_t len = items[i] ? strlen(items[i]) : 0;
                memcpy(p, items[i] ? items[i] : "", len);
                p[len] = 0;
                p += len + 1;
            }
            *out = block; *bytes = total; count = (int)n;
        } else fail("out of memory");
        H5Dvlen_reclaim(mem, space, H5P_DEFAULT, items);
        free(items);
    } else {
        size_t size = H5Tget_size(type);
        char *raw = calloc((size_t)n, size);
        mem = H5Tcopy(type);
        if (!raw || H5Aread(a, mem, raw) < 0) { fail("%s: cannot read its text", where); free(raw); goto done; }
        char *block = malloc((size_t)n * (size + 1)), *p = block;
        if (block) {
            for (hssize_t i = 0; i < n; i++) {
                const char *s = raw + (size_t)i * size;
                size_t len = strnlen(s, size);
                memcpy(p, s, len);
                p[len] = 0;
                p += len + 1;
            }
            *out = block; *bytes = (size_t)(p - block); count = (int)n;
        } else fail("out of memory");
        free(raw);
    }
done:
    if (mem >= 0) H5Tclose(mem);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return count;
}

int ferh5_attr_strings(int64_t file, const char *path, const char *name, char **out, size_t *bytes) {
    begin();
    int result = -1;
    char where[400];
    snprintf(where, sizeof where, "attribute %s of %s", name, path);
    int e = links_exist((hid_t)file, path);
    if (e < 0) goto done;
    if (e == 0) { fail("%s: no such object", where); goto done; }
    htri_t has = H5Aexists_by_name((hid_t)file, path, name, H5P_DEFAULT);
    if (has < 0) { fail("%s: cannot look it up", where); goto done; }
    if (has == 0) { fail("%s: no such attribute", where); result = -2; goto done; }
    hid_t a = H5Aopen_by_name((hid_t)file, path, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) { fail("%s: cannot open it", where); goto done; }
    result = read_strings(a, where, out, bytes);
    H5Aclose(a);
done:
    end();
    return result;
}

// Opens the numeric dataset at path with its space; -1 (and a message) when it is not one.
static hid_t open_numeric(hid_t file, const char *path, hid_t *space) {
    int e = links_exist(file, path);
    if (e <= 0) { if (e == 0) fail("dataset %s: no such dataset", path); return -1; }
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    if (d < 0) { fail("dataset %s: cannot open it (is it a group?)", path); return -1; }
    hid_t type = H5Dget_type(d);
    H5T_class_t c = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;
    if (type >= 0) H5Tclose(type);
    if (c != H5T_FLOAT && c != H5T_INTEGER) { fail("dataset %s: values are not numbers", path); H5Dclose(d); return -1; }
    *space = H5Dget_space(d);
    if (*space < 0) { fail("dataset %s: cannot read its shape", path); H5Dclose(d); return -1; }
    return d;
}

int ferh5_dataset_shape(int64_t file, const char *path, int64_t *dims, int max_rank) {
    begin();
    int rank = -1;
    hid_t space = -1, d = open_numeric((hid_t)file, path, &space);
    if (d >= 0) {
        int r = H5Sget_simple_extent_ndims(space);
        hsize_t h[32];
        if (r < 0 || r > max_rank || r > 32) fail("dataset %s: rank %d is more than %d", path, r, max_rank);
        else if (H5Sget_simple_extent_dims(space, h, NULL) < 0) fail("dataset %s: cannot read its shape", path);
        else { for (int i = 0; i < r; i++) dims[i] = (int64_t)h[i]; rank = r; }
        H5Sclose(space);
        H5Dclose(d);
    }
    end();
    return rank;
}

int ferh5_dataset_read_float(int64_t file, const char *path, float *out, size_t count) {
    begin();
    int result = -1;
    hid_t space = -1, d = open_numeric((hid_t)file, path, &space);
    if (d >= 0) {
        hssize_t n = H5Sget_simple_extent_npoints(space);
        if (n < 0 || (size_t)n != count) fail("dataset %s: holds %lld values, expected %zu", path, (long long)n, count);
        else if (count > 0 && H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) fail("dataset %s: read failed (truncated file?)", path);
        else result = 0;
        H5Sclose(space);
        H5Dclose(d);
    }
    end();
    return result;
}

void ferh5_free(void *p) { free(p); }
