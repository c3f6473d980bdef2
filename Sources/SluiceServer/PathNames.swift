import Hummingbird

/// Path parameters are names, never paths: a pipeline name or a run id is checked character by
/// character before it is looked up among the loaded pipelines or the ledger's runs, so `..`,
/// encoded slashes (`%2e%2e%2f`, double encoding), absolute paths and NUL never reach a file name.
enum PathNames {
    /// Letters, digits, `-`, `_` and `.` (not first), at most 128 characters: what a manifest's
    /// file name may give as a pipeline name and what a run id is made of.
    static func isSafe(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 128, text.first != "." else { return false }
        return text.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                || c == UInt8(ascii: ".")
        }
    }

    /// The path parameter `key`, refused (404) unless it is a safe name.
    static func parameter(_ key: String, of context: APIRequestContext, what: String) throws -> String {
        guard let value = context.parameters.get(key), isSafe(value) else {
            throw APIError.notFound("no such \(what)")
        }
        return value
    }
}
