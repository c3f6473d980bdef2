import Foundation

/// Encodes `Encodable` values as compact JSON straight into bytes, without building a tree
/// first: the ledger encodes a run record at every commit, and Foundation's `JSONEncoder`
/// was a tenth of a small run's time. Output is what `JSONDecoder` reads back with
/// `.millisecondsSince1970` dates: keys in encoding order, `nil` optionals left out, dates as
/// milliseconds since 1970, non-ASCII text as UTF-8. Coding paths are not tracked (errors
/// carry an empty one).
public enum CompactJSONEncoder {
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let sink = Sink()
        try sink.encodeValue(value)
        return sink.bytes
    }
}

/// The output and the containers still open, innermost last. A container is closed when
/// something is written to one of its ancestors, or when its value's encoding returns.
private final class Sink {
    var bytes: [UInt8] = []
    var open: [Frame] = []

    final class Frame {
        let closer: UInt8
        var count = 0
        init(closer: UInt8) { self.closer = closer }
    }

    init() { bytes.reserveCapacity(1024) }

    /// Closes the containers opened inside `frame`, so the next write lands in it.
    func focus(_ frame: Frame) {
        while let last = open.last, last !== frame {
            bytes.append(last.closer)
            open.removeLast()
        }
    }

    /// Closes every container opened at depth `depth` or deeper.
    func close(downTo depth: Int) {
        while open.count > depth {
            bytes.append(open.removeLast().closer)
        }
    }

    func openFrame(_ opener: UInt8, _ closer: UInt8) -> Frame {
        bytes.append(opener)
        let frame = Frame(closer: closer)
        open.append(frame)
        return frame
    }

    /// Starts an entry of `frame`: a comma after the first.
    func beginEntry(_ frame: Frame) {
        focus(frame)
        if frame.count > 0 { bytes.append(UInt8(ascii: ",")) }
        frame.count += 1
    }

    func key(_ key: String, in frame: Frame) {
        beginEntry(frame)
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0 ..< 0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 15)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    func number(_ d: Double) throws {
        guard d.isFinite else {
            throw EncodingError.invalidValue(d, .init(codingPath: [], debugDescription: "\(d) has no JSON form"))
        }
        if d == d.rounded(), abs(d) < 1e15 {
            bytes.append(contentsOf: String(Int64(d)).utf8)
        } else {
            bytes.append(contentsOf: d.description.utf8)
        }
    }

    func integer(_ v: some BinaryInteger) { bytes.append(contentsOf: String(v).utf8) }

    /// Writes one value where the caller has placed the position (after a key, a comma, or at
    /// the top), closing whatever containers the value opened.
    func encodeValue(_ value: some Encodable) throws {
        switch value {
        case let date as Date:
            try number(date.timeIntervalSince1970 * 1000)
        case let data as Data:
            string(data.base64EncodedString())
        case let url as URL:
            string(url.absoluteString)
        default:
            let depth = open.count
            let encoder = ValueEncoder(sink: self)
            try value.encode(to: encoder)
            if !encoder.wrote { bytes.append(contentsOf: "{}".utf8) }
            close(downTo: depth)
        }
    }
}

private final class ValueEncoder: Encoder {
    let sink: Sink
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var wrote = false
    private var keyed: Sink.Frame?
    private var unkeyed: Sink.Frame?

    init(sink: Sink) { self.sink = sink }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if keyed == nil {
            wrote = true
            keyed = sink.openFrame(UInt8(ascii: "{"), UInt8(ascii: "}"))
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(sink: sink, frame: keyed!))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if unkeyed == nil {
            wrote = true
            unkeyed = sink.openFrame(UInt8(ascii: "["), UInt8(ascii: "]"))
        }
        return UnkeyedContainer(sink: sink, frame: unkeyed!)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        wrote = true
        return SingleContainer(sink: sink)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: Sink
    let frame: Sink.Frame
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.bytes.append(contentsOf: "null".utf8) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    mutating func encode(_ value: String, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { sink.key(key.stringValue, in: frame); try sink.number(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { sink.key(key.stringValue, in: frame); try sink.number(Double(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { sink.key(key.stringValue, in: frame); sink.integer(value) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        sink.key(key.stringValue, in: frame)
        try sink.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        sink.key(key.stringValue, in: frame)
        let nested = sink.openFrame(UInt8(ascii: "{"), UInt8(ascii: "}"))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(sink: sink, frame: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        sink.key(key.stringValue, in: frame)
        return UnkeyedContainer(sink: sink, frame: sink.openFrame(UInt8(ascii: "["), UInt8(ascii: "]")))
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        sink.key(key.stringValue, in: frame)
        return ValueEncoder(sink: sink)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let sink: Sink
    let frame: Sink.Frame
    var codingPath: [any CodingKey] { [] }
    var count: Int { frame.count }

    mutating func encodeNil() throws { sink.beginEntry(frame); sink.bytes.append(contentsOf: "null".utf8) }
    mutating func encode(_ value: Bool) throws { sink.beginEntry(frame); sink.bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    mutating func encode(_ value: String) throws { sink.beginEntry(frame); sink.string(value) }
    mutating func encode(_ value: Double) throws { sink.beginEntry(frame); try sink.number(value) }
    mutating func encode(_ value: Int) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: Int64) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: Float) throws { sink.beginEntry(frame); try sink.number(Double(value)) }
    mutating func encode(_ value: Int8) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: Int16) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: Int32) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: UInt) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: UInt8) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: UInt16) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: UInt32) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: UInt64) throws { sink.beginEntry(frame); sink.integer(value) }
    mutating func encode(_ value: some Encodable) throws {
        sink.beginEntry(frame)
        try sink.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        sink.beginEntry(frame)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(sink: sink, frame: sink.openFrame(UInt8(ascii: "{"), UInt8(ascii: "}"))))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        sink.beginEntry(frame)
        return UnkeyedContainer(sink: sink, frame: sink.openFrame(UInt8(ascii: "["), UInt8(ascii: "]")))
    }

    mutating func superEncoder() -> any Encoder {
        sink.beginEntry(frame)
        return ValueEncoder(sink: sink)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let sink: Sink
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { sink.bytes.append(contentsOf: "null".utf8) }
    mutating func encode(_ value: Bool) throws { sink.bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    mutating func encode(_ value: String) throws { sink.string(value) }
    mutating func encode(_ value: Double) throws { try sink.number(value) }
    mutating func encode(_ value: Float) throws { try sink.number(Double(value)) }
    mutating func encode(_ value: Int) throws { sink.integer(value) }
    mutating func encode(_ value: Int64) throws { sink.integer(value) }
    mutating func encode(_ value: Int32) throws { sink.integer(value) }
    mutating func encode(_ value: UInt64) throws { sink.integer(value) }
    mutating func encode(_ value: Int8) throws { sink.integer(value) }
    mutating func encode(_ value: Int16) throws { sink.integer(value) }
    mutating func encode(_ value: UInt) throws { sink.integer(value) }
    mutating func encode(_ value: UInt8) throws { sink.integer(value) }
    mutating func encode(_ value: UInt16) throws { sink.integer(value) }
    mutating func encode(_ value: UInt32) throws { sink.integer(value) }
    mutating func encode(_ value: some Encodable) throws { try sink.encodeValue(value) }
}
