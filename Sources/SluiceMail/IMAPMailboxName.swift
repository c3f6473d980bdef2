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

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,")
        var out = ""
        var i = 0
        while i < bytes.count {
            let b0 = Int(bytes[i]), b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
            out.append(alphabet[b0 >> 2])
            out.append(alphabet[((b0 & 3) << 4) | (b1 >> 4)])
            if i + 1 < bytes.count { out.append(alphabet[((b1 & 15) << 2) | (b2 >> 6)]) }
            if i + 2 < bytes.count { out.append(alphabet[b2 & 63]) }
            i += 3
        }
        return out
    }
}
