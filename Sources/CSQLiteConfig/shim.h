#ifndef CSQLITECONFIG_SHIM_H
#define CSQLITECONFIG_SHIM_H

#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift does not import: each option the lab sets has an accessor. */

/* Switches off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS, 0): every allocation then skips the
   global memory mutex and the counters, which only sqlite3_memory_used(), sqlite3_status64() and the heap limits
   read (the lab uses none of them). Process-wide; 1 when done, 0 once the library is initialised (a connection
   was opened first: SQLITE_MISUSE), in which case nothing changes. */
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

/* The bytes SQLite's statistics count as allocated now (0 while they are off). */
static inline sqlite3_int64 csqlite_memory_used(void) { return sqlite3_memory_used(); }

#endif
