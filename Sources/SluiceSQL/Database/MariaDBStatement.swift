import CMariaDB

/// One prepared statement on a libmariadb connection, run once: its parameters are
/// bound, it is executed, and its rows are fetched unbuffered (straight off the
/// socket, one at a time, never `mysql_stmt_store_result`) into ``MariaDBResultRow``.
///
/// Ownership: the statement owns `handle` (from `mysql_stmt_init`), the parameter
/// storage it binds and the ``MariaDBResultRow`` buffers. `close()` (also run by
/// `deinit`) closes the handle first, which makes libmariadb drop its pointers into
/// that storage, and then frees the storage; it runs once (`handle` becomes nil).
/// The connection must outlive the statement, and nothing else may use the
/// connection while the statement has unread rows (the MySQL protocol allows one
/// command at a time).
final class MariaDBStatement {
    /// The statement's text, for errors.
    let sql: String
    private var handle: UnsafeMutablePointer<MYSQL_STMT>?
    /// Parameter binds and the memory their `buffer`/`length` point at.
    private var parameterBinds: UnsafeMutablePointer<MYSQL_BIND>?
    private var parameterCount = 0
    private var parameterStorage: [UnsafeMutableRawPointer] = []
    /// The current row's buffers, once ``bindResult()`` has run.
    private(set) var row: MariaDBResultRow?

    /// Prepares `sql` on `connection`.
    init(connection: UnsafeMutablePointer<MYSQL>, sql: String) throws {
        self.sql = sql
        guard let handle = mysql_stmt_init(connection) else {
            throw SQLError.query(database: "MariaDB", sql: sql, reason: String(cString: mysql_error(connection)))
        }
        self.handle = handle
        let failed =
            sql.utf8.withContiguousStorageIfAvailable { utf8 in
                utf8.withMemoryRebound(to: CChar.self) {
                    mysql_stmt_prepare(handle, $0.baseAddress, UInt(utf8.count)) != 0
                }
            }
            ?? Array(sql.utf8CString).withUnsafeBufferPointer {
                mysql_stmt_prepare(handle, $0.baseAddress, UInt($0.count - 1)) != 0
            }
        if failed { throw failure() }
    }

    deinit { close() }

    /// The error the statement reports now, with the statement's text.
    func failure() -> SQLError {
        let reason = handle.map { String(cString: mysql_stmt_error($0)) } ?? "the statement is closed"
        return SQLError.query(database: "MariaDB", sql: sql, reason: reason)
    }

    /// Binds `parameters` to the statement's `?` placeholders, in order: `.int64` as a
    /// BIGINT, `.text` as a string, `.timestamp` as `YYYY-MM-DD HH:MM:SS.ffffff`.
    func bind(_ parameters: [SQLParameter]) throws {
        guard let handle else { throw failure() }
        let expected = Int(mysql_stmt_param_count(handle))
        guard expected == parameters.count else {
            throw SQLError.query(
                database: "MariaDB", sql: sql,
                reason: "the statement has \(expected) placeholders but \(parameters.count) parameters were given")
        }
        guard !parameters.isEmpty else { return }
        let binds = UnsafeMutablePointer<MYSQL_BIND>.allocate(capacity: parameters.count)
        binds.initialize(repeating: MYSQL_BIND(), count: parameters.count)
        parameterBinds = binds
        parameterCount = parameters.count
        for (index, parameter) in parameters.enumerated() {
            switch parameter {
            case .int64(let value):
                let storage = allocateParameter(byteCount: MemoryLayout<Int64>.size)
                storage.storeBytes(of: value, as: Int64.self)
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = storage
            case .text(let text):
                bindText(text, to: &binds[index])
            case .timestamp(let timestamp):
                bindText(timestamp.text(fractionDigits: 6), to: &binds[index])
            }
        }
        if mysql_stmt_bind_param(handle, binds) != 0 { throw failure() }
    }

    /// Runs the statement; its rows are then read with ``bindResult()`` and ``fetch()``.
    func execute() throws {
        guard let handle else { throw failure() }
        if mysql_stmt_execute(handle) != 0 { throw failure() }
    }

    /// The result's columns (empty when the statement returns no rows), with every
    /// column bound to a buffer of ``row``.
    func bindResult() throws -> [SQLColumn] {
        guard let handle else { throw failure() }
        guard let metadata = mysql_stmt_result_metadata(handle) else {
            if mysql_stmt_errno(handle) != 0 { throw failure() }
            return []
        }
        defer { mysql_free_result(metadata) }
        let count = Int(mysql_num_fields(metadata))
        guard let fields = mysql_fetch_fields(metadata) else { throw failure() }
        var columns: [SQLColumn] = []
        columns.reserveCapacity(count)
        for index in 0..<count { columns.append(MariaDBColumnType.column(fields[index])) }
        let row = MariaDBResultRow(columns: columns, fields: fields)
        self.row = row
        if mysql_stmt_bind_result(handle, row.binds) != 0 { throw failure() }
        return columns
    }

    /// Reads the next row into ``row``; false when there are no more.
    func fetch() throws -> Bool {
        guard let handle, let row else { throw failure() }
        switch mysql_stmt_fetch(handle) {
        case 0:
            return true
        case MYSQL_NO_DATA:
            return false
        case MYSQL_DATA_TRUNCATED:
            // A value longer than its buffer: grow the buffer, read the value again
            // from the row libmariadb still holds, then rebind so later rows use the
            // larger buffer (rebinding first would lose libmariadb's row pointers).
            var grown = false
            for index in 0..<row.count where row.isTruncated(index) {
                row.grow(index)
                if mysql_stmt_fetch_column(handle, row.binds + index, UInt32(index), 0) != 0 { throw failure() }
                grown = true
            }
            if grown, mysql_stmt_bind_result(handle, row.binds) != 0 { throw failure() }
            return true
        default:
            throw failure()
        }
    }

    /// Closes the statement (reading and dropping any rows left) and frees its
    /// buffers; later calls fail. Safe to call more than once.
    func close() {
        guard let handle else { return }
        mysql_stmt_close(handle)
        self.handle = nil
        row = nil
        if let parameterBinds {
            parameterBinds.deinitialize(count: parameterCount)
            parameterBinds.deallocate()
            self.parameterBinds = nil
        }
        for storage in parameterStorage { storage.deallocate() }
        parameterStorage = []
    }

    private func allocateParameter(byteCount: Int) -> UnsafeMutableRawPointer {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 8)
        parameterStorage.append(storage)
        return storage
    }

    /// Copies `text`'s UTF-8 into storage the statement owns and points `bind` at it.
    private func bindText(_ text: String, to bind: inout MYSQL_BIND) {
        let utf8 = Array(text.utf8)
        let storage = allocateParameter(byteCount: utf8.count + MemoryLayout<UInt>.size)
        // The length word first (aligned), then the bytes.
        let length = storage.bindMemory(to: UInt.self, capacity: 1)
        length.pointee = UInt(utf8.count)
        let bytes = storage + MemoryLayout<UInt>.size
        utf8.withUnsafeBytes { bytes.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        bind.buffer_type = MYSQL_TYPE_STRING
        bind.buffer = bytes
        bind.buffer_length = UInt(utf8.count)
        bind.length = length
    }
}

/// The current row of a ``MariaDBStatement``: one buffer per column, bound with
/// `mysql_stmt_bind_result` and reused for every row; values are text
/// (`MYSQL_TYPE_STRING`, converted by libmariadb) except `bytes` and unsupported
/// columns (`MYSQL_TYPE_BLOB`, raw).
///
/// Ownership: the row owns `binds`, `lengths`, `nulls`, `errors` and every
/// `binds[i].buffer`; it frees them in `deinit`. libmariadb keeps pointers into
/// them until the statement is closed, so the statement closes its handle before
/// releasing the row. A buffer is replaced only by ``grow(_:)``, between rows.
final class MariaDBResultRow: SQLRow {
    /// The number of columns.
    let count: Int
    /// The binds handed to `mysql_stmt_bind_result`.
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>
    private let errors: UnsafeMutablePointer<my_bool>

    /// The smallest and the largest first buffer of a column; longer values grow it.
    static let initialCapacity = 64...4096

    init(columns: [SQLColumn], fields: UnsafeMutablePointer<MYSQL_FIELD>) {
        count = columns.count
        binds = .allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: count)
        lengths = .allocate(capacity: max(count, 1))
        lengths.initialize(repeating: 0, count: count)
        nulls = .allocate(capacity: max(count, 1))
        nulls.initialize(repeating: 0, count: count)
        errors = .allocate(capacity: max(count, 1))
        errors.initialize(repeating: 0, count: count)
        for index in 0..<count {
            let raw = columns[index].type == .bytes || columns[index].type == .unsupported
            let declared = Int(clamping: fields[index].length) + 1
            let capacity = min(max(declared, Self.initialCapacity.lowerBound), Self.initialCapacity.upperBound)
            binds[index].buffer_type = raw ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING
            binds[index].buffer = .allocate(byteCount: capacity, alignment: 8)
            binds[index].buffer_length = UInt(capacity)
            binds[index].length = lengths + index
            binds[index].is_null = nulls + index
            binds[index].error = errors + index
        }
    }

    deinit {
        for index in 0..<count { binds[index].buffer.deallocate() }
        binds.deinitialize(count: count)
        binds.deallocate()
        lengths.deallocate()
        nulls.deallocate()
        errors.deallocate()
    }

    /// Whether column `index`'s value did not fit its buffer in the last fetch.
    func isTruncated(_ index: Int) -> Bool { nulls[index] == 0 && lengths[index] > binds[index].buffer_length }

    /// Replaces column `index`'s buffer with one that holds its current value (and
    /// room for libmariadb's terminating zero), at least twice the old size.
    func grow(_ index: Int) {
        let capacity = max(Int(lengths[index]) + 1, Int(binds[index].buffer_length) * 2)
        binds[index].buffer.deallocate()
        binds[index].buffer = .allocate(byteCount: capacity, alignment: 8)
        binds[index].buffer_length = UInt(capacity)
        errors[index] = 0
    }

    func isNull(_ index: Int) -> Bool { nulls[index] != 0 }

    func bytes(_ index: Int) -> UnsafeRawBufferPointer? {
        guard nulls[index] == 0 else { return nil }
        return UnsafeRawBufferPointer(
            start: binds[index].buffer, count: Int(min(lengths[index], binds[index].buffer_length)))
    }
}

/// How a result column's metadata (`MYSQL_FIELD`) maps to an ``SQLColumn``: a pure
/// function of the field's type, flags, length, decimals and character set.
enum MariaDBColumnType {
    /// The character set number of binary strings and BLOBs.
    static let binaryCharset: UInt32 = 63

    /// The column `field` describes.
    static func column(_ field: MYSQL_FIELD) -> SQLColumn {
        var attribute = MARIADB_CONST_STRING()
        var extendedName = ""
        if mariadb_field_attr(&attribute, [field], MARIADB_FIELD_ATTR_DATA_TYPE_NAME) == 0, attribute.length > 0,
            let text = attribute.str
        {
            extendedName = String(decoding: UnsafeRawBufferPointer(start: text, count: attribute.length), as: UTF8.self)
        } else if mariadb_field_attr(&attribute, [field], MARIADB_FIELD_ATTR_FORMAT_NAME) == 0, attribute.length > 0,
            let text = attribute.str
        {
            extendedName = String(decoding: UnsafeRawBufferPointer(start: text, count: attribute.length), as: UTF8.self)
        }
        let (type, typeName) = map(
            type: field.type, flags: field.flags, length: UInt64(field.length), decimals: field.decimals,
            charset: field.charsetnr,
            extendedName: extendedName)
        return SQLColumn(
            name: field.name.map { String(cString: $0) } ?? "", type: type, typeName: typeName,
            nullable: field.flags & UInt32(NOT_NULL_FLAG) == 0)
    }

    /// The SQL type and the type's name for a field. `extendedName` is MariaDB's
    /// extended metadata (`point`, `json`, `inet6`…), empty when the server sends none.
    static func map(
        type: enum_field_types, flags: UInt32, length: UInt64, decimals: UInt32, charset: UInt32,
        extendedName: String = ""
    ) -> (SQLType, String) {
        let unsigned = flags & UInt32(UNSIGNED_FLAG) != 0
        let binary = charset == binaryCharset
        func named(_ base: String) -> String { extendedName.isEmpty ? base : extendedName.uppercased() }
        /// Numeric types say UNSIGNED; the server also flags BIT, YEAR and TIMESTAMP so.
        func numeric(_ base: String) -> String { named(base) + (unsigned ? " UNSIGNED" : "") }
        switch type {
        case MYSQL_TYPE_TINY:
            if length == 1 && !unsigned { return (.boolean, "TINYINT(1)") }
            return (unsigned ? .int16 : .int8, numeric("TINYINT"))
        case MYSQL_TYPE_SHORT: return (unsigned ? .int32 : .int16, numeric("SMALLINT"))
        case MYSQL_TYPE_INT24: return (.int32, numeric("MEDIUMINT"))
        case MYSQL_TYPE_LONG: return (unsigned ? .int64 : .int32, numeric("INT"))
        case MYSQL_TYPE_LONGLONG: return (unsigned ? .decimal(precision: 20, scale: 0) : .int64, numeric("BIGINT"))
        case MYSQL_TYPE_FLOAT: return (.float32, numeric("FLOAT"))
        case MYSQL_TYPE_DOUBLE: return (.float64, numeric("DOUBLE"))
        case MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL:
            // The display length counts the digits, a sign (signed only) and a point (scale > 0).
            let precision = Int(length) - (decimals > 0 ? 1 : 0) - (unsigned ? 0 : 1)
            return (.decimal(precision: max(precision, 0), scale: Int(decimals)), numeric("DECIMAL"))
        case MYSQL_TYPE_VARCHAR, MYSQL_TYPE_VAR_STRING:
            return binary ? (.bytes, named("VARBINARY")) : (.string, named("VARCHAR"))
        case MYSQL_TYPE_STRING:
            if flags & UInt32(ENUM_FLAG) != 0 { return (.string, named("ENUM")) }
            if flags & UInt32(SET_FLAG) != 0 { return (.string, named("SET")) }
            return binary ? (.bytes, named("BINARY")) : (.string, named("CHAR"))
        case MYSQL_TYPE_ENUM: return (.string, named("ENUM"))
        case MYSQL_TYPE_SET: return (.string, named("SET"))
        case MYSQL_TYPE_JSON: return (.string, named("JSON"))
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB:
            // The server sends every BLOB and TEXT as MYSQL_TYPE_BLOB; its length in
            // bytes (up to 4 per character) tells which one it is.
            let size =
                length <= 255 * 4 ? "TINY" : length <= 65_535 * 4 ? "" : length <= 16_777_215 * 4 ? "MEDIUM" : "LONG"
            return binary ? (.bytes, named(size + "BLOB")) : (.string, named(size + "TEXT"))
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE: return (.date, named("DATE"))
        case MYSQL_TYPE_TIME: return (.time, named("TIME"))
        case MYSQL_TYPE_DATETIME: return (.timestamp, named("DATETIME"))
        case MYSQL_TYPE_TIMESTAMP: return (.timestamp, named("TIMESTAMP"))
        case MYSQL_TYPE_YEAR: return (.int16, named("YEAR"))
        case MYSQL_TYPE_BIT: return (.bytes, named("BIT"))
        case MYSQL_TYPE_GEOMETRY: return (.unsupported, named("GEOMETRY"))
        case MYSQL_TYPE_NULL: return (.unsupported, named("NULL"))
        default: return (.unsupported, named("TYPE \(type.rawValue)"))
        }
    }
}
