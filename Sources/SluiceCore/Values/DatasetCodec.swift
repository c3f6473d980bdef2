/// A compact binary encoding of datasets, for checkpoints and stored states.
/// Exact: decimals keep their scale, dates stay dates.
public enum DatasetCodec {
    static let magic: [UInt8] = Array("SLDS1\n".utf8)

    public struct DecodingError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func encode(_ dataset: Dataset) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(64 + dataset.rows.count * max(1, dataset.columns.count) * 8)
        w.bytes += magic
        w.varint(UInt64(dataset.columns.count))
        for c in dataset.columns {
            w.string(c.name)
            w.string(c.type.rawValue)
        }
        w.varint(UInt64(dataset.files.count))
        for f in dataset.files {
            w.string(f.name)
            w.string(f.path)
        }
        w.varint(UInt64(dataset.properties.count))
        for (k, v) in dataset.properties.sorted(by: { $0.key < $1.key }) {
            w.string(k)
            w.string(v)
        }
        w.varint(UInt64(dataset.rows.count))
        for row in dataset.rows {
            for v in row { w.value(v) }
        }
        if let numbers = dataset.rowNumbers, numbers.count == dataset.rows.count { w.rowNumbers(numbers) }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> Dataset {
        var r = ByteReader(bytes: bytes)
        guard bytes.count >= magic.count, Array(bytes[0 ..< magic.count]) == magic else {
            throw DecodingError(description: "not a Sluice dataset file")
        }
        r.offset = magic.count
        var columns: [Column] = []
        for _ in 0 ..< (try r.varint()) {
            let name = try r.string()
            guard let type = ColumnType(rawValue: try r.string()) else { throw DecodingError(description: "bad column type") }
            columns.append(Column(name, type))
        }
        var files: [AttachedFile] = []
        for _ in 0 ..< (try r.varint()) { files.append(AttachedFile(name: try r.string(), path: try r.string())) }
        var properties: [String: String] = [:]
        for _ in 0 ..< (try r.varint()) { properties[try r.string()] = try r.string() }
        let count = Int(try r.varint())
        var rows: [[Value]] = []
        rows.reserveCapacity(count)
        for _ in 0 ..< count {
            var row: [Value] = []
            row.reserveCapacity(columns.count)
            for _ in 0 ..< columns.count { row.append(try r.value()) }
            rows.append(row)
        }
        // Row numbers follow the rows when the dataset has them (older encodings end here).
        let rowNumbers = r.offset < bytes.count ? try r.rowNumbers(count: count) : nil
        return Dataset(columns: columns, rows: rows, files: files, properties: properties, rowNumbers: rowNumbers)
    }
}

/// Row numbers are stored as runs of consecutive numbers (`start`, `length`): a file read in
/// order is one run however many rows it has.
extension ByteWriter {
    mutating func rowNumbers(_ numbers: [Int]) {
        var runs: [(start: Int, length: Int)] = []
        for n in numbers {
            if let last = runs.last, last.start + last.length == n { runs[runs.count - 1].length += 1 } else { runs.append((n, 1)) }
        }
        bytes.append(1)
        varint(UInt64(runs.count))
        for run in runs {
            signed(Int64(run.start))
            varint(UInt64(run.length))
        }
    }
}

extension ByteReader {
    mutating func rowNumbers(count: Int) throws -> [Int] {
        guard try byte() == 1 else { throw DatasetCodec.DecodingError(description: "bad row-number section") }
        var numbers: [Int] = []
        numbers.reserveCapacity(count)
        for _ in 0 ..< (try varint()) {
            let start = Int(try signed())
            let length = try varint()
            guard length <= UInt64(count - numbers.count) else { throw DatasetCodec.DecodingError(description: "bad row-number run") }
            numbers += start ..< start + Int(length)
        }
        guard numbers.count == count else { throw DatasetCodec.DecodingError(description: "row numbers do not match the rows") }
        return numbers
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func signed(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            varint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }

    mutating func value(_ v: Value) {
        switch v {
        case .null: bytes.append(0)
        case let .string(s): bytes.append(1); string(s)
        case let .integer(i): bytes.append(2); signed(i)
        case let .decimal(d): bytes.append(3); signed(d.significand); signed(Int64(d.scale))
        case let .bool(b): bytes.append(b ? 5 : 4)
        case let .date(d): bytes.append(6); signed(Int64(d.daysSinceEpoch))
        case let .datetime(t): bytes.append(7); signed(t.epochMilliseconds)
        }
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw DatasetCodec.DecodingError(description: "truncated dataset file") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw DatasetCodec.DecodingError(description: "bad varint") }
        }
    }

    mutating func signed() throws -> Int64 {
        let u = try varint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    mutating func string() throws -> String {
        let n = Int(try varint())
        guard offset + n <= bytes.count else { throw DatasetCodec.DecodingError(description: "truncated dataset file") }
        defer { offset += n }
        return String(decoding: bytes[offset ..< offset + n], as: UTF8.self)
    }

    mutating func value() throws -> Value {
        switch try byte() {
        case 0: return .null
        case 1: return .string(try string())
        case 2: return .integer(try signed())
        case 3:
            let s = try signed()
            return .decimal(DecimalNumber(significand: s, scale: Int16(try signed())))
        case 4: return .bool(false)
        case 5: return .bool(true)
        case 6: return .date(LocalDate(daysSinceEpoch: Int32(try signed())))
        case 7: return .datetime(LocalDateTime(epochMilliseconds: try signed()))
        default: throw DatasetCodec.DecodingError(description: "bad value tag")
        }
    }
}
