// Exposes zstd's C API (with dictionary training) to Swift; TrailStore compresses records with it.
// zstd comes from Debian's libzstd-dev (.ci/run installs it when missing).
#include <zstd.h>
#include <zdict.h>
