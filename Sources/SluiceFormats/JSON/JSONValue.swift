/// A JSON value, with numbers kept as the exact text written (`0.10`, `1e400`, `-0`), so
/// decimal amounts are never rounded through `Double`.
///
/// Equality is structural and textual: `.number("1.0") != .number("1")`, and objects compare
/// their members in order.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number's exact text as written in the document (RFC 8259 grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// An object, keeping its members' order.
    case object(JSONObject)
}

extension JSONValue {
    /// True for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value of a `.bool`, else nil.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The text of a `.number`, else nil.
    public var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }

    /// The value of a `.string`, else nil.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements of an `.array`, else nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members of an `.object`, else nil.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The member named `key` of an object (the last one if repeated), else nil.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at a 0-based position of an array, else nil.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// `null`, `boolean`, `number`, `string`, `array` or `object`, for messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Whether `text` is a number as RFC 8259 writes it:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    public static func isValidNumberText(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            JSONNumberScanner.end(of: bytes, from: 0) == bytes.count && !bytes.isEmpty
        }
    }
}

/// Scans the RFC 8259 number grammar over bytes.
enum JSONNumberScanner {
    /// The offset just past a valid number starting at `start`, or nil if the bytes there do
    /// not start a valid number. Stops at the first byte that cannot continue the number.
    static func end(of bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        switch scan(bytes, from: start, to: bytes.count) {
        case .success(let end): return end
        case .failure: return nil
        }
    }

    /// On failure, the offset of the offending byte and what was expected there.
    static func scan(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Result<Int, JSONNumberProblem> {
        var i = start
        func isDigit(_ k: Int) -> Bool { k < end && p[k] >= 0x30 && p[k] <= 0x39 }
        if i < end && p[i] == UInt8(ascii: "-") { i += 1 }
        if i < end && p[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { return .failure(JSONNumberProblem(offset: i, expected: "'.', 'e' or the end of the number (no leading zeros)")) }
        } else if isDigit(i) {
            while isDigit(i) { i += 1 }
        } else {
            return .failure(JSONNumberProblem(offset: i, expected: "a digit"))
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return .failure(JSONNumberProblem(offset: i, expected: "a digit after the decimal point")) }
            while isDigit(i) { i += 1 }
        }
        if i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { return .failure(JSONNumberProblem(offset: i, expected: "a digit in the exponent")) }
            while isDigit(i) { i += 1 }
        }
        return .success(i)
    }
}

struct JSONNumberProblem: Error {
    var offset: Int
    var expected: String
}
