/// Reads CSV files from Excel (French: `;`, Windows-1252), Google Sheets (`,`, UTF-8) and
/// tab-separated exports.
///
/// The whole file is read into memory once; records are then parsed one at a time from the
/// bytes, and only field values become `String`s.
///
/// ```swift
/// let reader = try CSVReader(path: "inbox/ventes/ventes.csv")
/// var records = reader.makeIterator()
/// while let record = try records.next() {
///     print(reader.source, record.line, record.fields)
/// }
/// ```
///
/// Rules:
/// - **Encoding** (`Options.encoding`): `.auto` reads UTF-8 (a BOM is skipped) and falls back
///   to Windows-1252 when the bytes are not valid UTF-8. A file that starts with a UTF-8 BOM
///   but is not valid UTF-8 is an error rather than a guess. UTF-16/UTF-32 files (a `FF FE`
///   or `FE FF` start) are rejected with a hint. `encoding` tells which one was used. With an
///   explicit `.utf8`, invalid bytes are an error naming their line and byte column.
/// - **Quoting** (RFC 4180): `"…"` fields may hold delimiters, CR, LF and `""` (one quote).
///   Lenient about stray quotes: a `"` inside an unquoted field is kept as is (`5"` → `5"`),
///   and text after a closing quote is appended (`"ab"c` → `abc`). An unterminated quote is
///   an error naming the line (and byte column) where the quote opened.
/// - **Lines**: CRLF, LF and CR all end a record; the last record needs no line break.
///   Empty lines are skipped unless `skipEmptyLines` is false (then they read as one empty
///   field). A line of delimiters only (`;;;`) is a record; see `CSVRecord.isBlank`.
///   Trailing empty fields are kept (`a,b,` has three fields).
/// - **Header**: by default the first record names the columns, made unique
///   (`Montant`, `Montant_2`; an empty name becomes `column3`) with a warning in `warnings`.
///   With `.none`, columns are named `column1...N` after the first record's width.
/// - **Width**: records shorter than the header are padded with "" (`CSVRecord.isPadded`).
///   Longer records keep their extra fields (`CSVRecord.hasExtraFields`) so the caller
///   decides, or throw `CSVError.Code.tooManyFields` with `extraFields: .error`.
public struct CSVReader: Sendable {
    /// How the reader should interpret the file. Defaults suit a file of unknown origin.
    public struct Options: Sendable, Hashable {
        /// The field separator, or nil to detect it among `;`, tab and `,`.
        public var delimiter: CSVDelimiter?
        public var encoding: EncodingChoice
        public var header: HeaderMode
        /// Skip lines with nothing on them (default true).
        public var skipEmptyLines: Bool
        public var extraFields: ExtraFieldsPolicy

        public init(
            delimiter: CSVDelimiter? = nil, encoding: EncodingChoice = .auto, header: HeaderMode = .firstRecord,
            skipEmptyLines: Bool = true, extraFields: ExtraFieldsPolicy = .keep
        ) {
            self.delimiter = delimiter
            self.encoding = encoding
            self.header = header
            self.skipEmptyLines = skipEmptyLines
            self.extraFields = extraFields
        }
    }

    /// Which encoding to read the file in.
    public enum EncodingChoice: Sendable, Hashable {
        /// UTF-8 if the bytes are valid UTF-8 (with or without BOM), else Windows-1252.
        case auto
        case utf8
        case windows1252
        case latin1

        /// `auto`, or any name `CSVEncoding(name:)` accepts.
        public init?(name: String) {
            if name.lowercased() == "auto" {
                self = .auto
                return
            }
            guard let encoding = CSVEncoding(name: name) else { return nil }
            self.init(encoding)
        }

        public init(_ encoding: CSVEncoding) {
            switch encoding {
            case .utf8: self = .utf8
            case .windows1252: self = .windows1252
            case .latin1: self = .latin1
            }
        }
    }

    /// Whether the first record is a header.
    public enum HeaderMode: Sendable, Hashable {
        /// The first record names the columns (default).
        case firstRecord
        /// No header: columns are `column1...N`, N the first record's width.
        case none
    }

    /// What to do with a record that has more fields than the header.
    public enum ExtraFieldsPolicy: Sendable, Hashable {
        /// Keep them; `CSVRecord.hasExtraFields` is true (default).
        case keep
        /// Throw `CSVError.Code.tooManyFields` naming the line.
        case error
    }

    /// The name used in messages (the path's last component unless told otherwise).
    public let source: String
    /// The delimiter in use, given or detected.
    public let delimiter: CSVDelimiter
    /// True when `delimiter` was detected rather than given.
    public let delimiterWasDetected: Bool
    /// The encoding the file was read in.
    public let encoding: CSVEncoding
    /// True when the file started with a UTF-8 byte order mark (skipped).
    public let hadByteOrderMark: Bool
    /// Column names: unique, never empty. Empty for an empty file.
    public let header: [String]
    /// Problems worth telling the user that did not stop reading (header renames).
    public let warnings: [CSVWarning]
    /// The options the reader was made with.
    public let options: Options

    private let bytes: [UInt8]
    private let firstRecordState: CSVTokenizer

    /// Reads the file at `path`. `displayName` is the name used in messages
    /// (default: the path's last component). Throws `CSVError`.
    public init(path: String, displayName: String? = nil, options: Options = Options()) throws {
        let name = displayName ?? path.split(separator: "/").last.map(String.init) ?? path
        let bytes: [UInt8]
        do {
            bytes = try POSIXFile.readAll(path: path)
        } catch {
            throw CSVError(error, source: name)
        }
        try self.init(bytes: bytes, source: name, options: options)
    }

    /// Reads CSV from bytes in memory. `source` names it in messages. Throws `CSVError`.
    public init(bytes: [UInt8], source: String = "<memory>", options: Options = Options()) throws {
        self.bytes = bytes
        self.source = source
        self.options = options
        let setup = try bytes.withUnsafeBufferPointer { p throws(CSVError) in
            try Self.prepare(p, source: source, options: options)
        }
        encoding = setup.encoding
        hadByteOrderMark = setup.contentStart > 0
        delimiter = setup.delimiter
        delimiterWasDetected = options.delimiter == nil
        header = setup.header
        warnings = setup.warnings
        firstRecordState = setup.firstRecordState
    }

    /// A fresh iterator over the records after the header (or all records with `.none`).
    public func makeIterator() -> CSVRecordIterator {
        CSVRecordIterator(
            bytes: bytes, tokenizer: firstRecordState, expectedFieldCount: header.count,
            extraFields: options.extraFields, source: source)
    }

    /// All records at once. Throws `CSVError` at the first bad record.
    public func readAll() throws -> [CSVRecord] {
        var iterator = makeIterator()
        var records: [CSVRecord] = []
        while let record = try iterator.next() { records.append(record) }
        return records
    }

    private struct Setup {
        var encoding: CSVEncoding
        var contentStart: Int
        var delimiter: CSVDelimiter
        var header: [String]
        var warnings: [CSVWarning]
        var firstRecordState: CSVTokenizer
    }

    private static func prepare(_ p: UnsafeBufferPointer<UInt8>, source: String, options: Options) throws(CSVError) -> Setup {
        let (encoding, contentStart) = try chooseEncoding(p, source: source, choice: options.encoding)
        let delimiter = options.delimiter
            ?? CSVDelimiterDetector.detect(p, contentStart: contentStart, encoding: encoding)
        var tokenizer = CSVTokenizer(
            delimiter: delimiter.byte, encoding: encoding, skipEmptyLines: options.skipEmptyLines,
            source: source, contentStart: contentStart)
        let start = tokenizer
        var fields: [String] = []
        guard let first = try tokenizer.nextRecord(p, end: p.count, into: &fields, makeStrings: true) else {
            return Setup(encoding: encoding, contentStart: contentStart, delimiter: delimiter, header: [], warnings: [], firstRecordState: start)
        }
        switch options.header {
        case .firstRecord:
            let (names, warnings) = CSVHeaderNames.unique(fields, line: first.line, source: source)
            return Setup(
                encoding: encoding, contentStart: contentStart, delimiter: delimiter, header: names,
                warnings: warnings, firstRecordState: tokenizer)
        case .none:
            return Setup(
                encoding: encoding, contentStart: contentStart, delimiter: delimiter,
                header: CSVHeaderNames.generated(count: first.count), warnings: [], firstRecordState: start)
        }
    }

    /// The encoding to use and the offset of the first byte after any BOM.
    private static func chooseEncoding(
        _ p: UnsafeBufferPointer<UInt8>, source: String, choice: EncodingChoice
    ) throws(CSVError) -> (CSVEncoding, Int) {
        let hasBOM = p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF
        let looksUTF16 = p.count >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))
        switch choice {
        case .windows1252: return (.windows1252, 0)
        case .latin1: return (.latin1, 0)
        case .auto, .utf8:
            if looksUTF16 {
                throw CSVError(
                    .unsupportedEncoding,
                    "the file is UTF-16 (Excel 'Unicode text'); save it as 'CSV UTF-8' or 'CSV (séparateur : point-virgule)'",
                    source: source, line: 1, column: 1)
            }
            let start = hasBOM ? 3 : 0
            guard let bad = UTF8Validator.firstInvalidOffset(in: p, from: start, to: p.count) else { return (.utf8, start) }
            if choice == .auto && !hasBOM { return (.windows1252, 0) }
            let (line, column) = UTF8Validator.lineAndByteColumn(of: bad, in: p, from: start)
            let hex = String(p[bad], radix: 16, uppercase: true)
            let why = hasBOM && choice == .auto ? " although the file starts with a UTF-8 byte order mark" : ""
            throw CSVError(
                .invalidEncoding,
                "byte 0x\(hex) is not valid UTF-8\(why); choose encoding windows-1252 or latin-1 if the file comes from Excel",
                source: source, line: line, column: column)
        }
    }
}

/// Iterates over a `CSVReader`'s records, parsing one per `next()`.
///
/// After an error from `next()`: for `tooManyFields` the record is skipped and iteration can
/// go on; for an unterminated quote the rest of the file is consumed and `next()` returns nil.
public struct CSVRecordIterator: Sendable {
    private let bytes: [UInt8]
    private var tokenizer: CSVTokenizer
    private let expectedFieldCount: Int
    private let extraFields: CSVReader.ExtraFieldsPolicy
    private let source: String

    init(bytes: [UInt8], tokenizer: CSVTokenizer, expectedFieldCount: Int, extraFields: CSVReader.ExtraFieldsPolicy, source: String) {
        self.bytes = bytes
        self.tokenizer = tokenizer
        self.expectedFieldCount = expectedFieldCount
        self.extraFields = extraFields
        self.source = source
    }

    /// The next record, or nil at the end of the file. Throws `CSVError`.
    public mutating func next() throws -> CSVRecord? {
        var tokenizer = self.tokenizer
        var fields: [String] = []
        fields.reserveCapacity(expectedFieldCount)
        let parsed: (line: Int, count: Int)?
        do {
            parsed = try bytes.withUnsafeBufferPointer { p throws(CSVError) in
                try tokenizer.nextRecord(p, end: p.count, into: &fields, makeStrings: true)
            }
        } catch {
            self.tokenizer = tokenizer
            throw error
        }
        self.tokenizer = tokenizer
        guard let parsed else { return nil }
        if parsed.count > expectedFieldCount && extraFields == .error {
            throw CSVError(
                .tooManyFields,
                "record has \(parsed.count) fields but the header has \(expectedFieldCount); check the delimiter or quote fields that contain it",
                source: source, line: parsed.line)
        }
        while fields.count < expectedFieldCount { fields.append("") }
        return CSVRecord(line: parsed.line, fields: fields, fieldCount: parsed.count, expectedFieldCount: expectedFieldCount, row: tokenizer.row)
    }
}
