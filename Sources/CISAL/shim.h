// Exposes ISA-L's inflate (igzip) to Swift and nothing else; TrailGzip wraps it when the package
// trait ISAL is on (the default). ISA-L comes from Debian's libisal-dev (scripts/install-deps.sh).
#include <isa-l/igzip_lib.h>
