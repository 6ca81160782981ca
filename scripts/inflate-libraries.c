// Why this exists: to choose trail-scan's inflater on evidence. It inflates every log file of an
// archive, already in memory, with ISA-L (streaming, 256 KiB output buffer, as TrailGzip does),
// zlib (streaming) and libdeflate (whole buffer into an ISIZE-sized buffer), and prints each
// library's CPU time (thread CPU clock, steady on a shared machine). docs/performance.md has
// the figures. Build and run (Debian: libisal-dev, zlib1g-dev, libdeflate-dev):
//   cc -O2 scripts/inflate-libraries.c -lisal -lz -ldeflate -o /tmp/inflate-libraries
//   /tmp/inflate-libraries /tmp/trail-scan-bench/archive-200000 8
#define _GNU_SOURCE
#include <ftw.h>
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

typedef struct {
  unsigned char *bytes;
  size_t count;
} file;
static file files[100000];
static int file_count;

// Log files only (CloudTrail/…/*.json.gz), as `trail-fixtures inflate` reads them.
static int add(const char *path, const struct stat *status, int flag, struct FTW *walk) {
  (void)walk;
  size_t length = strlen(path);
  if (flag != FTW_F || length < 8 || strcmp(path + length - 8, ".json.gz") || !strstr(path, "/CloudTrail/")) return 0;
  FILE *handle = fopen(path, "rb");
  if (!handle || file_count == 100000) return 1;
  file f = {malloc(status->st_size), (size_t)status->st_size};
  if (fread(f.bytes, 1, f.count, handle) != f.count) return 1;
  fclose(handle);
  files[file_count++] = f;
  return 0;
}

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned char out[256 * 1024];

static size_t with_isal(void) {
  static struct inflate_state state;
  size_t total = 0;
  for (int i = 0; i < file_count; i++) {
    isal_inflate_init(&state);
    state.crc_flag = ISAL_GZIP;
    state.next_in = files[i].bytes;
    state.avail_in = files[i].count;
    do {
      state.next_out = out;
      state.avail_out = sizeof out;
      if (isal_inflate(&state) != ISAL_DECOMP_OK) exit(1);
      total += sizeof out - state.avail_out;
    } while (state.block_state != ISAL_BLOCK_FINISH);
  }
  return total;
}

static size_t with_zlib(void) {
  size_t total = 0;
  for (int i = 0; i < file_count; i++) {
    z_stream stream = {0};
    inflateInit2(&stream, 31);
    stream.next_in = files[i].bytes;
    stream.avail_in = files[i].count;
    int result;
    do {
      stream.next_out = out;
      stream.avail_out = sizeof out;
      result = inflate(&stream, Z_NO_FLUSH);
      total += sizeof out - stream.avail_out;
    } while (result == Z_OK);
    if (result != Z_STREAM_END) exit(1);
    inflateEnd(&stream);
  }
  return total;
}

static size_t with_libdeflate(void) {
  struct libdeflate_decompressor *decompressor = libdeflate_alloc_decompressor();
  unsigned char *buffer = NULL;
  size_t capacity = 0, total = 0;
  for (int i = 0; i < file_count; i++) {
    const unsigned char *end = files[i].bytes + files[i].count;
    size_t size = end[-4] | end[-3] << 8 | end[-2] << 16 | (size_t)end[-1] << 24;
    if (size > capacity) buffer = realloc(buffer, capacity = size);
    size_t got;
    if (libdeflate_gzip_decompress(decompressor, files[i].bytes, files[i].count, buffer, size, &got)) exit(1);
    total += got;
  }
  libdeflate_free_decompressor(decompressor);
  free(buffer);
  return total;
}

int main(int argc, char **argv) {
  if (argc < 2 || nftw(argv[1], add, 32, FTW_PHYS)) return 2;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  size_t compressed = 0;
  for (int i = 0; i < file_count; i++) compressed += files[i].count;
  for (int round = 0; round < rounds; round++) {
    double t0 = cpu_seconds();
    size_t a = with_isal();
    double t1 = cpu_seconds();
    size_t b = with_zlib();
    double t2 = cpu_seconds();
    size_t c = with_libdeflate();
    double t3 = cpu_seconds();
    if (a != b || b != c) return 1;
    printf("%d files, %zu bytes gzip, %zu inflated: ISA-L %.3f s, zlib %.3f s, libdeflate %.3f s (CPU)\n", file_count,
           compressed, a, t1 - t0, t2 - t1, t3 - t2);
  }
  return 0;
}
