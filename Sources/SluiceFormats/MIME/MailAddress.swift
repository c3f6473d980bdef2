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
        let bytes = Array(text.utf8)
        return splitTopLevel(bytes).compactMap { parse(bytes[$0]) }
    }

    /// The items of an address list that hold no address (`paul.example.com`), trimmed.
    public static func itemsWithoutAddress(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return splitTopLevel(bytes).filter { parse(bytes[$0]) == nil }.map { String(decoding: bytes[$0], as: UTF8.self).trimmingSpaces }
            .filter { !$0.isEmpty }.map(String.init)
    }

    /// One mailbox; nil when the text holds no address.
    public static func parse(_ text: String) -> MailAddress? {
        parse(Array(text.utf8)[...])
    }

    // The parsing works on UTF-8 bytes: every character with a meaning here is ASCII.
    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), at = UInt8(ascii: "@")
    private static let open = UInt8(ascii: "("), close = UInt8(ascii: ")"), less = UInt8(ascii: "<"), greater = UInt8(ascii: ">")

    static func parse(_ item: ArraySlice<UInt8>) -> MailAddress? {
        let (visible, comment) = stripComments(item)
        if let lt = visible.lastIndex(of: less), let gt = visible[lt...].firstIndex(of: greater) {
            let address = trimmed(visible[(lt + 1)..<gt])
            let name = unquote(trimmed(visible[..<lt]))
            // `MAILER DAEMON <>`: the null sender of bounces, kept when it has a name.
            guard !address.isEmpty || name != nil else { return nil }
            return MailAddress(name: name, address: String(decoding: address, as: UTF8.self))
        }
        let bare = trimmed(visible[...])
        guard bare.contains(at) else { return nil }
        return MailAddress(name: comment.flatMap { unquote(trimmed($0[...])) }, address: String(decoding: bare, as: UTF8.self))
    }

    /// Splits at commas outside quotes, comments and angle brackets; a group's
    /// `name:` prefix and `;` end are dropped, keeping its members.
    static func splitTopLevel(_ text: [UInt8]) -> [Range<Int>] {
        var items: [Range<Int>] = []
        var start = 0
        var quoted = false, escaped = false, depth = 0, angle = false
        func closeItem(_ end: Int) {
            var item = start..<end
            if !angle, let colon = text[item].firstIndex(of: UInt8(ascii: ":")),
               !text[item.lowerBound..<colon].contains(quote) && !text[item.lowerBound..<colon].contains(less) {
                item = (colon + 1)..<end
            }
            if !trimmed(text[item]).isEmpty { items.append(item) }
        }
        for (i, c) in text.enumerated() {
            if escaped { escaped = false } else if c == backslash { escaped = true } else if quoted { if c == quote { quoted = false } } else {
                switch c {
                case quote: quoted = true
                case open: depth += 1
                case close: depth = max(0, depth - 1)
                case less where depth == 0: angle = true
                case greater where depth == 0: angle = false
                case UInt8(ascii: ","), UInt8(ascii: ";"):
                    if depth == 0 && !angle { closeItem(i); start = i + 1 }
                default: break
                }
            }
        }
        closeItem(text.count)
        return items
    }

    /// The text without `(comments)` outside quotes, and the first comment's content.
    static func stripComments(_ text: Substring) -> (String, String?) {
        let (visible, comment) = stripComments(Array(text.utf8)[...])
        return (String(decoding: visible, as: UTF8.self), comment.map { String(decoding: $0, as: UTF8.self) })
    }

    static func stripComments(_ text: ArraySlice<UInt8>) -> ([UInt8], [UInt8]?) {
        var out: [UInt8] = [], comment: [UInt8] = [], firstComment: [UInt8]?
        out.reserveCapacity(text.count)
        var depth = 0, quoted = false, escaped = false
        for c in text {
            if escaped { escaped = false; if depth > 0 { comment.append(c) } else { out.append(c) }; continue }
            if c == backslash { escaped = true; if depth == 0 { out.append(c) }; continue }
            if quoted { out.append(c); if c == quote { quoted = false }; continue }
            switch c {
            case quote where depth == 0: quoted = true; out.append(c)
            case open: if depth > 0 { comment.append(c) }; depth += 1
            case close where depth > 0:
                depth -= 1
                if depth == 0 { if firstComment == nil { firstComment = comment }; comment = [] } else { comment.append(c) }
            default: if depth > 0 { comment.append(c) } else { out.append(c) }
            }
        }
        return (out, firstComment)
    }

    static func unquote(_ text: ArraySlice<UInt8>) -> String? {
        guard !text.isEmpty else { return nil }
        guard text.count >= 2, text.first == quote, text.last == quote else { return String(decoding: text, as: UTF8.self) }
        var out: [UInt8] = []
        var escaped = false
        for c in text.dropFirst().dropLast() {
            if escaped { out.append(c); escaped = false } else if c == backslash { escaped = true } else { out.append(c) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = bytes
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return s
    }

    private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> { trimmed(bytes[...]) }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return Substring(s)
    }
}
