/// Turns rows of strings into CSV bytes, for `CSVWriter` (file) and `CSVWriter.encode` (memory).
struct CSVRowEncoder: Sendable {
    let options: CSVWriter.Options
    let source: String?

    static let quote = UInt8(ascii: "\"")

    /// The bytes that start the output (a UTF-8 BOM when asked for).
    func preamble() throws(CSVError) -> [UInt8] {
        guard options.byteOrderMark else { return [] }
        guard options.encoding == .utf8 else {
            throw CSVError(.invalidOption, "a byte order mark can only be written with UTF-8 output, not \(options.encoding)", source: source)
        }
        return [0xEF, 0xBB, 0xBF]
    }

    /// Appends one row and its line ending to `buffer`. On error `buffer` is left unchanged.
    /// `row` is the 1-based row number used in messages.
    func append(_ fields: [String], row: Int, to buffer: inout [UInt8]) throws(CSVError) {
        let rollback = buffer.count
        do {
            if fields.count == 1 && fields[0].isEmpty {
                // An empty line would be skipped by readers: write an explicit empty field.
                buffer.append(Self.quote)
                buffer.append(Self.quote)
            } else {
                for (index, field) in fields.enumerated() {
                    if index > 0 { buffer.append(options.delimiter.byte) }
                    try appendField(field, row: row, column: index + 1, to: &buffer)
                }
            }
            switch options.lineEnding {
            case .crlf:
                buffer.append(0x0D)
                buffer.append(0x0A)
            case .lf:
                buffer.append(0x0A)
            }
        } catch {
            buffer.removeSubrange(rollback...)
            throw error
        }
    }

    private func appendField(_ field: String, row: Int, column: Int, to buffer: inout [UInt8]) throws(CSVError) {
        var field = field
        let delimiter = options.delimiter.byte
        let encoding = options.encoding
        var unrepresentable: Unicode.Scalar?
        field.withUTF8 { utf8 in
            guard let first = utf8.first, let last = utf8.last else { return }
            var needsQuotes = first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
            var isASCII = true
            for byte in utf8 {
                if byte == delimiter || byte == Self.quote || byte == 0x0A || byte == 0x0D { needsQuotes = true }
                if byte >= 0x80 { isASCII = false }
            }
            if needsQuotes { buffer.append(Self.quote) }
            if isASCII || encoding == .utf8 {
                if needsQuotes {
                    var segmentStart = 0
                    for (k, byte) in utf8.enumerated() where byte == Self.quote {
                        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[segmentStart...k]))
                        buffer.append(Self.quote)
                        segmentStart = k + 1
                    }
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[segmentStart...]))
                } else {
                    buffer.append(contentsOf: utf8)
                }
            } else {
                for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars {
                    guard let byte = Windows1252.byte(for: scalar.value, encoding: encoding) else {
                        unrepresentable = scalar
                        return
                    }
                    buffer.append(byte)
                    if byte == Self.quote { buffer.append(Self.quote) }
                }
            }
            if needsQuotes { buffer.append(Self.quote) }
        }
        if let scalar = unrepresentable {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            throw CSVError(
                .unrepresentableCharacter,
                "row \(row), column \(column): '\(Character(scalar))' (U+\(padded)) cannot be written in \(encoding); use UTF-8 output or replace the character",
                source: source, column: column, row: row)
        }
    }
}
