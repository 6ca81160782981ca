// Exposes SQLite's C API to Swift and nothing else; TrailStore wraps it.
// SQLite comes from Debian's libsqlite3-dev (.ci/run installs it when missing).
#include <sqlite3.h>
