import GRDB
import GRDBSQLite

/// A prepared statement the write-behind flush binds and steps through SQLite's C API: a flush binds hundreds of
/// thousands of values, and building GRDB argument arrays for them costs more than SQLite's own work.
///
/// The statement is this store's own (not GRDB's statement cache), so GRDB never sees it half-bound. Values are
/// bound in column order with the `bind` calls, then ``execute(sql:)`` steps it once and resets it.
final class RawStatement {
    let sql: String
    private let statement: Statement
    private let handle: OpaquePointer
    private var index: Int32 = 0
    private var bindError: Int32 = SQLITE_OK
    /// The bytes of the text values bound since the last reset (SQLite reads them when the statement steps).
    private var arena = TextArena()
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        self.sql = sql
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    deinit { arena.deallocate() }

    /// How many times SQLite compiled this statement again since it was prepared: it does so at the next step
    /// after the statement expired (a schema change, or a flag pragma such as GRDB's `query_only` around a read).
    var recompilations: Int {
        Int(sqlite3_stmt_status(handle, Int32(SQLITE_STMTSTATUS_REPREPARE), 0))
    }

    private func check(_ code: Int32) {
        if code != SQLITE_OK && bindError == SQLITE_OK { bindError = code }
    }

    func bind(_ value: Int64) {
        index += 1
        check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ value: Int?) {
        guard let value else { return bindNull() }
        bind(Int64(value))
    }

    func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    func bind(_ value: Double) {
        index += 1
        check(sqlite3_bind_double(handle, index, value))
    }

    func bind(_ value: String) {
        index += 1
        var text = value
        let code = text.withUTF8 { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
            // Copied into the statement's own buffer and bound without a copy (SQLITE_STATIC): SQLite's copy of
            // a transient string was a malloc per value.
            let copy = arena.store(base, count: bytes.count)
            return sqlite3_bind_text(handle, index, copy, Int32(bytes.count), nil)
        }
        check(code)
    }

    func bind(_ value: String?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    private func bindNull() {
        index += 1
        check(sqlite3_bind_null(handle, index))
    }

    /// Steps the bound statement to its end and resets it for the next binding; SQLite's error as a
    /// `DatabaseError`.
    func execute(_ db: Database) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            arena.removeAll()
            index = 0
            bindError = SQLITE_OK
        }
        if bindError != SQLITE_OK {
            throw DatabaseError(resultCode: ResultCode(rawValue: bindError), message: "binding failed", sql: sql)
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
    }
}

/// Bytes kept at stable addresses until ``removeAll()``: chunks that are never reallocated, reused after a reset.
struct TextArena {
    private var chunks: [UnsafeMutablePointer<CChar>] = []
    private var sizes: [Int] = []
    private var current = 0
    private var used = 0
    private static let chunkSize = 1 << 16

    /// A copy of `count` bytes at `base`, valid until ``removeAll()``.
    mutating func store(_ base: UnsafePointer<UInt8>, count: Int) -> UnsafePointer<CChar> {
        if chunks.isEmpty || used + count > sizes[current] {
            if !chunks.isEmpty { current += 1 }
            // The next chunk that fits, or a new one (a value longer than a chunk gets a chunk of its own).
            while current < chunks.count && sizes[current] < count { current += 1 }
            if current == chunks.count {
                let size = max(Self.chunkSize, count)
                chunks.append(UnsafeMutablePointer<CChar>.allocate(capacity: size))
                sizes.append(size)
            }
            used = 0
        }
        let target = chunks[current] + used
        UnsafeMutableRawPointer(target).copyMemory(from: base, byteCount: count)
        used += count
        return UnsafePointer(target)
    }

    /// Makes every chunk free for reuse (the bytes stored before are no longer read).
    mutating func removeAll() {
        current = 0
        used = 0
    }

    func deallocate() {
        for chunk in chunks { chunk.deallocate() }
    }
}
