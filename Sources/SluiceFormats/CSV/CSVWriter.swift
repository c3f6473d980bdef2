/// Writes CSV to a file, buffering output (64 KiB by default) and quoting only when needed.
///
/// ```swift
/// var writer = try CSVWriter(path: "outbox/ventes/totaux.csv", options: .init(delimiter: .semicolon, byteOrderMark: true))
/// try writer.writeRow(["Produit", "Montant"])
/// try writer.writeRow(["Café", "12,50"])
/// try writer.close()
/// ```
///
/// Rules:
/// - A field is quoted when it contains the delimiter, `"`, CR or LF, or starts or ends with
///   a space or tab; quotes inside are doubled. A row of one empty field is written `""` so
///   readers do not take it for an empty line (which they skip). A row of no fields is an
///   empty line.
/// - Every row ends with the line ending, CRLF by default (RFC 4180) or LF.
/// - `byteOrderMark` (UTF-8 only, default off) makes Excel show accents correctly.
/// - With Windows-1252 or Latin-1 output, a character the encoding lacks is an error naming
///   the row and column; nothing of that row is written.
/// - Output depends only on the rows and options: the same input gives the same bytes.
///
/// Call `close()` to flush and see errors; a writer dropped without `close()` flushes and
/// closes on a best-effort basis, ignoring errors.
public struct CSVWriter: ~Copyable, Sendable {
    /// How rows are written.
    public struct Options: Sendable, Hashable {
        public var delimiter: CSVDelimiter
        public var lineEnding: LineEnding
        /// Start the file with a UTF-8 byte order mark (only with `.utf8`).
        public var byteOrderMark: Bool
        public var encoding: CSVEncoding
        /// `fsync` the file in `close()`, so it survives a power loss once `close()` returns.
        public var fsync: Bool
        /// Bytes buffered before a write to the file.
        public var bufferSize: Int

        public init(
            delimiter: CSVDelimiter = .comma, lineEnding: LineEnding = .crlf, byteOrderMark: Bool = false,
            encoding: CSVEncoding = .utf8, fsync: Bool = false, bufferSize: Int = 64 * 1024
        ) {
            self.delimiter = delimiter
            self.lineEnding = lineEnding
            self.byteOrderMark = byteOrderMark
            self.encoding = encoding
            self.fsync = fsync
            self.bufferSize = bufferSize
        }
    }

    /// The bytes that end each row.
    public enum LineEnding: Sendable, Hashable {
        /// `\r\n`, as RFC 4180 says (default).
        case crlf
        /// `\n`.
        case lf
    }

    /// The path being written.
    public let path: String
    /// Rows written so far (including a header row written with `writeRow`).
    public private(set) var rowsWritten = 0

    private var descriptor: Int32
    private var buffer: [UInt8]
    private let encoder: CSVRowEncoder

    /// Creates (or truncates) the file at `path`. Throws `CSVError`.
    public init(path: String, options: Options = Options()) throws {
        let encoder = CSVRowEncoder(options: options, source: path)
        let preamble = try encoder.preamble()
        do {
            descriptor = try POSIXFile.openForWriting(path: path)
        } catch {
            throw CSVError(error, source: path)
        }
        self.path = path
        self.encoder = encoder
        buffer = preamble
        buffer.reserveCapacity(max(options.bufferSize, 1024) + 1024)
    }

    /// Appends one row. Throws `CSVError` (unrepresentable character, I/O, closed writer).
    public mutating func writeRow(_ fields: [String]) throws {
        guard descriptor >= 0 else {
            throw CSVError(.writerClosed, "cannot write a row: the writer is closed", source: path, row: rowsWritten + 1)
        }
        try encoder.append(fields, row: rowsWritten + 1, to: &buffer)
        rowsWritten += 1
        if buffer.count >= encoder.options.bufferSize { try flush() }
    }

    /// Appends several rows.
    public mutating func writeRows(_ rows: [[String]]) throws {
        for row in rows { try writeRow(row) }
    }

    /// Writes buffered bytes to the file (without `fsync`).
    public mutating func flush() throws {
        guard descriptor >= 0, !buffer.isEmpty else { return }
        do {
            try POSIXFile.writeAll(buffer, to: descriptor, path: path)
        } catch {
            throw CSVError(error, source: path)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, `fsync`s when the options say so, and closes the file. Closing twice is a no-op.
    public mutating func close() throws {
        guard descriptor >= 0 else { return }
        let fd = descriptor
        do {
            try flush()
            if encoder.options.fsync { try POSIXFile.sync(fd, path: path) }
        } catch {
            descriptor = -1
            _ = POSIXFile.systemClose(fd)
            throw error
        }
        descriptor = -1
        do {
            try POSIXFile.closeFile(fd, path: path)
        } catch {
            throw CSVError(error, source: path)
        }
    }

    deinit {
        if descriptor >= 0 {
            if !buffer.isEmpty { try? POSIXFile.writeAll(buffer, to: descriptor, path: path) }
            _ = POSIXFile.systemClose(descriptor)
        }
    }

    /// Encodes rows in memory, exactly as `CSVWriter` would write them to a file.
    /// `source` names the output in error messages. Throws `CSVError`.
    public static func encode(_ rows: [[String]], options: Options = Options(), source: String? = nil) throws -> [UInt8] {
        let encoder = CSVRowEncoder(options: options, source: source)
        var bytes = try encoder.preamble()
        for (index, row) in rows.enumerated() {
            try encoder.append(row, row: index + 1, to: &bytes)
        }
        return bytes
    }
}
