import Yams

/// An error met while decoding a manifest node into a typed configuration.
/// It always knows where in the file it happened.
public struct ManifestDecodingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?
    /// Where the failing value is inside what was decoded (`body`, `to.0`), when known.
    public var path: String?

    public init(_ message: String, at location: SourceLocation?, path: [any CodingKey]? = nil) {
        self.message = message
        self.location = location
        self.path = path.flatMap { $0.isEmpty ? nil : $0.map { $0.intValue.map(String.init) ?? kebabCase($0.stringValue) }.joined(separator: ".") }
    }

    public var description: String { message }
}

/// Decoders that know where in a file the value being decoded came from.
/// Configuration types use it to give located errors for values they check themselves.
public protocol LocatedDecoder: Decoder {
    var location: SourceLocation? { get }
    /// The raw text of a scalar node (for expressions and templates, where columns matter).
    var scalarStyleOffset: Int { get }
}

/// Decodes `Decodable` configurations straight from YAML nodes, so that every error
/// carries the file, line and column, and remembers which keys each mapping was asked
/// for so that unknown keys can be reported with a "did you mean".
///
/// Keys are written in kebab-case in manifests (`on-invalid`) and camelCase in Swift
/// (`onInvalid`); both spellings of a key are accepted on lookup.
public struct ManifestDecoder {
    public let file: String

    public init(file: String) { self.file = file }

    /// Decodes `type` from `node`. Unknown keys found in any mapping that was decoded
    /// with a fixed set of keys are appended to `diagnostics` (with `context` naming the
    /// step, e.g. "in step 'csv'").
    public func decode<T: Decodable>(_ type: T.Type, from node: Node, context: String,
                                     diagnostics: inout Diagnostics) throws -> T {
        let usage = KeyUsage()
        // Unknown keys only once the value decoded: a value that fails stops the decoding, and
        // the keys after it, never asked for, would be reported as unknown.
        let value = try T(from: NodeDecoder(node: node, file: file, codingPath: [], usage: usage))
        usage.report(into: &diagnostics, file: file, context: context)
        return value
    }
}

/// The top-level keys a configuration asked for while it was decoded.
public struct ConfigurationKeys: Sendable {
    /// Asked for, in kebab-case (`on-invalid`).
    public var asked: Set<String>
    /// The configuration read every key it was given (a mapping of free names, as `rename`'s).
    public var free: Bool
    /// Why decoding stopped, if it did (keys after the failing one may not have been asked for).
    public var failure: String?
}

extension ManifestDecoder {
    /// Decodes `type` from `node` and says which keys of the node's mapping it asked for.
    public func keysAsked<T: Decodable>(by type: T.Type, from node: Node) -> ConfigurationKeys {
        let usage = KeyUsage()
        var failure: String?
        do { _ = try T(from: NodeDecoder(node: node, file: file, codingPath: [], usage: usage)) } catch { failure = "\(error)" }
        guard case let .mapping(m) = node, let entry = usage.entries[usage.id(of: m)] else {
            return ConfigurationKeys(asked: [], free: false, failure: failure)
        }
        return ConfigurationKeys(asked: Set(entry.asked.map(kebabCase)), free: entry.all, failure: failure)
    }
}

/// Remembers, per mapping node, which keys were asked for.
final class KeyUsage {
    struct Entry {
        var node: Node.Mapping
        var asked: Set<String> = []
        var all = false
    }

    var entries: [Int: Entry] = [:]
    var order: [Int] = []

    func id(of mapping: Node.Mapping) -> Int {
        // Marks identify a mapping node uniquely within one file.
        let m = mapping.mark
        return (m?.line ?? 0) * 100_000 + (m?.column ?? 0)
    }

    func asked(_ key: String, in mapping: Node.Mapping) {
        let i = id(of: mapping)
        if entries[i] == nil { entries[i] = Entry(node: mapping); order.append(i) }
        entries[i]!.asked.insert(key)
    }

    func askedAll(in mapping: Node.Mapping) {
        let i = id(of: mapping)
        if entries[i] == nil { entries[i] = Entry(node: mapping); order.append(i) }
        entries[i]!.all = true
    }

    func report(into diagnostics: inout Diagnostics, file: String, context: String) {
        for i in order {
            guard let entry = entries[i], !entry.all else { continue }
            for (key, _) in entry.node {
                let name = key.string ?? ""
                guard !entry.asked.contains(name) else { continue }
                let known = entry.asked.sorted()
                diagnostics.error("unknown key '\(name)' \(context)\(Suggestion.didYouMean(name, among: known))",
                                  at: location(key.mark, file: file))
            }
        }
    }
}

func location(_ mark: Mark?, file: String) -> SourceLocation? {
    mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
}

/// `onInvalid` → `on-invalid`.
func kebabCase(_ name: String) -> String {
    var out = ""
    for c in name {
        if c.isUppercase, !out.isEmpty { out.append("-"); out.append(contentsOf: c.lowercased()) } else { out.append(c) }
    }
    return out
}

/// `on-invalid` → `onInvalid`.
func camelCase(_ name: String) -> String {
    var out = ""
    var upper = false
    for c in name {
        if c == "-" { upper = true; continue }
        out.append(upper ? Character(c.uppercased()) : c)
        upper = false
    }
    return out
}

struct NodeDecoder: LocatedDecoder {
    let node: Node
    let file: String
    var codingPath: [any CodingKey]
    let usage: KeyUsage
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var location: SourceLocation? { SluiceCore.location(node.mark, file: file) }

    /// 1 for single- or double-quoted scalars (the value starts after the quote), else 0.
    var scalarStyleOffset: Int {
        if case let .scalar(s) = node, s.style == .singleQuoted || s.style == .doubleQuoted { return 1 }
        return 0
    }

    func fail(_ message: String) -> ManifestDecodingError { ManifestDecodingError(message, at: location, path: codingPath) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .mapping(mapping) = node else {
            throw fail("expected a mapping (key: value pairs) for '\(pathString(codingPath))', found \(describe(node))")
        }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(mapping: mapping, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node {
        case let .sequence(seq): return UnkeyedNodeContainer(items: Array(seq), decoder: self)
        case .scalar, .mapping, .alias:
            // A single value where a list is expected is read as a list of one: `by: Produit`.
            return UnkeyedNodeContainer(items: [node], decoder: self)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

    func child(_ node: Node, key: any CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, file: file, codingPath: codingPath + [key], usage: usage)
    }
}

func describe(_ node: Node) -> String {
    switch node {
    case .mapping: "a mapping"
    case .sequence: "a list"
    case let .scalar(s): "'\(s.string)'"
    case .alias: "an alias"
    }
}

func pathString(_ path: [any CodingKey]) -> String {
    var out = ""
    for k in path {
        if let i = k.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + kebabCase(k.stringValue) }
    }
    return out
}

struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: Node.Mapping
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        decoder.usage.askedAll(in: mapping)
        return mapping.compactMap { k, _ in
            let name = ColumnName.normalized(k.string ?? "")
            return Key(stringValue: name) ?? Key(stringValue: camelCase(name))
        }
    }

    func lookup(_ key: Key) -> Node? {
        let raw = key.stringValue
        decoder.usage.asked(raw, in: mapping)
        if let n = mapping[raw] { return n }
        let kebab = kebabCase(raw)
        decoder.usage.asked(kebab, in: mapping)
        return mapping[kebab]
    }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let n = lookup(key) else { return true }
        return isNull(n)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let n = lookup(key) else {
            throw ManifestDecodingError("missing required key '\(kebabCase(key.stringValue))'\(decoder.codingPath.isEmpty ? "" : " in '\(pathString(decoder.codingPath))'")",
                                        at: decoder.location)
        }
        return try T(from: decoder.child(n, key: key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let n = lookup(key), !isNull(n) else { return nil }
        return try T(from: decoder.child(n, key: key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        guard let n = lookup(key) else { throw decoder.fail("missing required key '\(kebabCase(key.stringValue))'") }
        return try decoder.child(n, key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        guard let n = lookup(key) else { throw decoder.fail("missing required key '\(kebabCase(key.stringValue))'") }
        return try decoder.child(n, key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        guard let n = lookup(key) else { throw decoder.fail("missing required key '\(kebabCase(key.stringValue))'") }
        return decoder.child(n, key: key)
    }
}

func isNull(_ node: Node) -> Bool {
    if case let .scalar(s) = node, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
    return false
}

struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let items: [Node]
    let decoder: NodeDecoder
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [Node], decoder: NodeDecoder) {
        self.items = items
        self.decoder = decoder
    }

    mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else { throw decoder.fail("list '\(pathString(codingPath))' has too few items") }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd, isNull(items[currentIndex]) { currentIndex += 1; return true }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct SingleNodeContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func scalar(_ what: String) throws -> String {
        switch decoder.node {
        case let .scalar(s): return s.string
        default: throw decoder.fail("expected \(what) for '\(pathString(codingPath))', found \(describe(decoder.node))")
        }
    }

    func decodeNil() -> Bool { isNull(decoder.node) }

    func decode(_ type: Bool.Type) throws -> Bool {
        let s = try scalar("true or false")
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw decoder.fail("expected true or false for '\(pathString(codingPath))', found '\(s)'")
        }
    }

    /// Text is read in Unicode NFC, so that the names a manifest gives (columns, keys) are
    /// spelled as the datasets spell them (see `ColumnName`).
    func decode(_ type: String.Type) throws -> String { ColumnName.normalized(try scalar("a text")) }
    func decode(_ type: Double.Type) throws -> Double {
        let s = try scalar("a number")
        guard let v = Double(s) else { throw decoder.fail("expected a number for '\(pathString(codingPath))', found '\(s)'") }
        return v
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let s = try scalar("a whole number")
        guard let v = T(String(s.filter { $0 != "_" })) else {
            throw decoder.fail("expected a whole number for '\(pathString(codingPath))', found '\(s)'")
        }
        return v
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}

