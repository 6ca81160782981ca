// Exposes zlib's C API to Swift and nothing else; TrailGzip wraps it.
// zlib comes from Debian's zlib1g-dev (.ci/run installs it when missing).
#include <zlib.h>
