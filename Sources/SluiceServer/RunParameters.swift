import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A run's parameters from a request: a JSON object of strings, numbers and booleans
/// (`{"date": "2026-12-01", "force": true}`), or the query's `key=value` pairs. Names are
/// letters, digits, `_` and `-`, starting with a letter or `_`; at most 100 of them.
enum RunParameters {
    static let maximumCount = 100
    static let maximumValueLength = 4096

    private enum Scalar: Decodable {
        case text(String)

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .text(b ? "true" : "false"); return }
            if let i = try? c.decode(Int64.self) { self = .text(String(i)); return }
            if let d = try? c.decode(Double.self) { self = .text(String(d)); return }
            if let s = try? c.decode(String.self) { self = .text(s); return }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a string, number or boolean")
        }
    }

    /// The parameters of a JSON body; an empty body is no parameters.
    static func fromJSON(_ body: ByteBuffer) throws -> [String: String] {
        let bytes = Data(body.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        let decoded: [String: Scalar]
        do {
            decoded = try JSONDecoder().decode([String: Scalar].self, from: bytes)
        } catch {
            throw APIError.badRequest("the body must be a JSON object whose values are strings, numbers or booleans")
        }
        var out: [String: String] = [:]
        for (name, value) in decoded {
            guard case let .text(text) = value else { continue }
            out[name] = text
        }
        try check(out)
        return out
    }

    /// The query's parameters, but those named in `leaving` (`secret`).
    static func fromQuery(_ request: Request, leaving reserved: Set<String>) throws -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where !reserved.contains(String(key)) {
            out[String(key)] = String(value)
        }
        try check(out)
        return out
    }

    static func check(_ parameters: [String: String]) throws {
        guard parameters.count <= maximumCount else { throw APIError.badRequest("at most \(maximumCount) parameters") }
        for (name, value) in parameters {
            guard isName(name) else {
                throw APIError.badRequest("'\(name.prefix(64))' is not a parameter name: letters, digits, _ and -, starting with a letter or _")
            }
            guard value.utf8.count <= maximumValueLength, !value.utf8.contains(0) else {
                throw APIError.badRequest("the value of '\(name)' is longer than \(maximumValueLength) bytes or holds NUL")
            }
        }
    }

    static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 64 else { return false }
        func letter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        guard letter(first) else { return false }
        return name.unicodeScalars.allSatisfy { letter($0) || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }
}
