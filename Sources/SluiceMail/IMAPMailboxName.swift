import Foundation

/// Mailbox names as IMAP writes them: modified UTF-7 (RFC 3501 §5.1.3) inside a quoted
/// string, so `Traité` travels as `"Trait&AOk-"`.
public enum IMAPMailboxName {
    /// The quoted, encoded form of `name`. Refuses control characters, which no mailbox name has.
    public static func quoted(_ name: String) throws(MailTransportError) -> String {
        guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw MailTransportError("'\(name)' is not a mailbox name", transient: false)
        }
        var out = "\""
        for c in encode(name) {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    /// Modified UTF-7: printable ASCII stands for itself (`&` as `&-`); runs of other
    /// characters are UTF-16, base64 with `,` for `/`, between `&` and `-`.
    public static func encode(_ name: String) -> String {
        var out = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            var bytes: [UInt8] = []
            for unit in pending { bytes.append(UInt8(unit >> 8)); bytes.append(UInt8(unit & 0xFF)) }
            out += "&" + base64(bytes) + "-"
            pending.removeAll()
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                out += scalar == "&" ? "&-" : String(scalar)
            } else {
                pending.append(contentsOf: Array(String(scalar).utf16))
            }
        }
        flush()
        return out
    }

    /// RFC 3501's modified base64: `,` for `/`, no padding.
    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "/", with: ",").replacingOccurrences(of: "=", with: "")
    }
}
