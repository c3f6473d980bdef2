/// A YAML mapping decoded in the order it was written (`compute`, `rename`, `columns`).
public struct OrderedMapping<Value: Decodable & Sendable>: Decodable, Sendable {
    public var entries: [(key: String, value: Value)]

    public init(_ entries: [(key: String, value: Value)]) { self.entries = entries }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        entries = try c.allKeys.map { ($0.stringValue, try c.decode(Value.self, forKey: $0)) }
    }

    public var keys: [String] { entries.map(\.key) }
    public subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }
}

/// A list of column names, written as a list or, for one column, as a single name.
public typealias ColumnList = [String]
