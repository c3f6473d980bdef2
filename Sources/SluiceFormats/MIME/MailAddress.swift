import Foundation

/// One mailbox of an address header: `Barry <barry@example.com>` or `barry@example.com`.
///
/// Parsing works on a header value whose encoded words are already decoded. It follows
/// RFC 5322's shapes closely enough for real mail: quoted display names, comments in
/// parentheses, angle addresses, groups (`team: a@x, b@y;`), and lists separated by commas.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The display name, unquoted; nil when there is none.
    public var name: String?
    /// `local@domain`, as written.
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name.flatMap { $0.isEmpty ? nil : $0 }
        self.address = address
    }

    /// `Name <address>` (the name quoted when it needs to be), or the bare address.
    public var description: String {
        guard let name else { return address }
        let plain = name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == " " || $0 == "-" || $0 == "'" }
        let shown = plain ? name : "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return "\(shown) <\(address)>"
    }

    /// True when `address` has one `@` with text on both sides and no space, control
    /// character or angle bracket: good enough to hand to an SMTP server.
    public var isDeliverable: Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return !address.unicodeScalars.contains { $0.value < 0x21 || $0 == "<" || $0 == ">" || $0 == "," || $0.value == 0x7F }
    }

    /// Every mailbox in an address list; text that is not an address is skipped.
    public static func parseList(_ text: String) -> [MailAddress] {
        var result: [MailAddress] = []
        for item in splitTopLevel(text) {
            if let address = parse(String(item)) { result.append(address) }
        }
        return result
    }

    /// One mailbox; nil when the text holds no address.
    public static func parse(_ text: String) -> MailAddress? {
        let (visible, comment) = stripComments(Substring(text))
        if let open = visible.lastIndex(of: "<"), let close = visible[open...].firstIndex(of: ">") {
            let address = visible[visible.index(after: open)..<close].trimmingSpaces
            let name = unquote(visible[..<open].trimmingSpaces)
            // `MAILER DAEMON <>`: the null sender of bounces, kept when it has a name.
            guard !address.isEmpty || name != nil else { return nil }
            return MailAddress(name: name, address: String(address))
        }
        let bare = visible.trimmingSpaces
        guard bare.contains("@") else { return nil }
        return MailAddress(name: comment.flatMap { unquote($0.trimmingSpaces) }, address: String(bare))
    }

    /// Splits at commas outside quotes, comments and angle brackets; a group's
    /// `name:` prefix and `;` end are dropped, keeping its members.
    static func splitTopLevel(_ text: String) -> [Substring] {
        var items: [Substring] = []
        var start = text.startIndex
        var quoted = false, escaped = false, depth = 0, angle = false
        var i = text.startIndex
        func close(_ end: String.Index) {
            var item = text[start..<end]
            if !angle, let colon = item.firstIndex(of: ":"), !item[..<colon].contains("\"") && !item[..<colon].contains("<") {
                item = item[item.index(after: colon)...]
            }
            if !item.trimmingSpaces.isEmpty { items.append(item) }
        }
        while i < text.endIndex {
            let c = text[i]
            if escaped { escaped = false } else if c == "\\" { escaped = true } else if quoted { if c == "\"" { quoted = false } } else {
                switch c {
                case "\"": quoted = true
                case "(": depth += 1
                case ")": depth = max(0, depth - 1)
                case "<" where depth == 0: angle = true
                case ">" where depth == 0: angle = false
                case ",", ";":
                    if depth == 0 && !angle { close(i); start = text.index(after: i) }
                default: break
                }
            }
            i = text.index(after: i)
        }
        close(text.endIndex)
        return items
    }

    /// The text without `(comments)` outside quotes, and the first comment's content.
    static func stripComments(_ text: Substring) -> (String, String?) {
        var out = "", comment = "", firstComment: String?
        var depth = 0, quoted = false, escaped = false
        for c in text {
            if escaped { escaped = false; if depth > 0 { comment.append(c) } else { out.append(c) }; continue }
            if c == "\\" { escaped = true; if depth == 0 { out.append(c) }; continue }
            if quoted { out.append(c); if c == "\"" { quoted = false }; continue }
            switch c {
            case "\"" where depth == 0: quoted = true; out.append(c)
            case "(": if depth > 0 { comment.append(c) }; depth += 1
            case ")" where depth > 0:
                depth -= 1
                if depth == 0 { if firstComment == nil { firstComment = comment }; comment = "" } else { comment.append(c) }
            default: if depth > 0 { comment.append(c) } else { out.append(c) }
            }
        }
        return (out, firstComment)
    }

    static func unquote(_ text: Substring) -> String? {
        var s = text
        guard !s.isEmpty else { return nil }
        if s.first == "\"" && s.last == "\"" && s.count >= 2 { s = s.dropFirst().dropLast() } else { return String(s) }
        var out = "", escaped = false
        for c in s {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return Substring(s)
    }
}
