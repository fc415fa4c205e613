import GRDB
import GRDBSQLite

/// A prepared statement the write-behind flush binds and steps through SQLite's C API: a flush binds hundreds of
/// thousands of values, and building GRDB argument arrays for them costs more than SQLite's own work.
///
/// The statement is this store's own (not GRDB's statement cache), so GRDB never sees it half-bound. Values are
/// bound in column order with the `bind` calls, then ``execute(sql:)`` steps it once and resets it.
final class RawStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private var index: Int32 = 0
    private var bindError: Int32 = SQLITE_OK
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
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
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), Self.transient)
            }
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
    func execute(_ db: Database, sql: @autoclosure () -> String) throws {
        defer {
            sqlite3_reset(handle)
            index = 0
            bindError = SQLITE_OK
        }
        if bindError != SQLITE_OK {
            throw DatabaseError(resultCode: ResultCode(rawValue: bindError), message: "binding failed", sql: sql())
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql())
        }
    }
}
