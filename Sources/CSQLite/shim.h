// Exposes SQLite's C API to Swift and nothing else; TrailStore wraps it.
// SQLite comes from Debian's libsqlite3-dev (.ci/run installs it when missing).
#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: the one setting the store makes. Without
// memory statistics SQLite's allocations take no global mutex (the writer allocates per row).
static inline int trail_sqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
