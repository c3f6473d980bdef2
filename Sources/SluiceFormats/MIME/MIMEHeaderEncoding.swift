import Foundation

/// How header values are written for sending: folded lines, RFC 2047 encoded words for
/// text that is not plain ASCII, RFC 2231 parameters for file names, RFC 5322 dates.
///
/// Every function here produces ASCII only, with `\r\n` line ends, and lines of at most
/// 78 characters wherever the value can be broken (RFC 5322 2.1.1), 76 for lines holding
/// encoded words (RFC 2047 2). Values are checked for CR, LF and NUL before they get here.
public enum MIMEHeaderEncoding {
    /// The longest line folding aims for.
    static let foldWidth = 78
    /// The longest plain word a header keeps as it is; longer text goes into encoded words,
    /// which can be split anywhere.
    static let longestPlainWord = 70
    /// `=?UTF-8?B?` and `?=`.
    static let encodedWordOverhead = 12

    // MARK: Folding

    /// `Name: token token...`, folded before a token that would pass `foldWidth`. Tokens are
    /// never split; the space before a token is where a line may break.
    static func fold(name: String, tokens: [String]) -> String {
        var out = name + ":"
        var lineLength = out.utf8.count
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > foldWidth && lineLength > name.utf8.count + 1 {
                out += "\r\n "
                lineLength = 1
            } else {
                out += " "
                lineLength += 1
            }
            out += token
            lineLength += length
        }
        return out + "\r\n"
    }

    // MARK: Unstructured text (Subject)

    /// True when `text` can be written as it is: printable ASCII, spaces and tabs, no `=?`
    /// (which a reader could take for an encoded word), no word longer than `longestPlainWord`.
    static func isPlain(_ text: String) -> Bool {
        guard text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }), !text.contains("=?") else { return false }
        // A run of spaces travels with the word after it (see `plainTokens`): counted with it.
        return plainTokens(text).allSatisfy { $0.utf8.count <= longestPlainWord }
    }

    /// An unstructured header such as Subject: as it is when plain, else encoded words.
    static func unstructured(name: String, value: String) -> String {
        if isPlain(value) { return fold(name: name, tokens: plainTokens(value)) }
        return fold(name: name, tokens: encodedWords(value, firstLineUsed: name.utf8.count + 1))
    }

    /// Splits at single spaces, keeping runs of spaces on the token that follows them, so
    /// that folding and unfolding give back the same text and no line is only whitespace.
    static func plainTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var pending = ""
        for (i, part) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if part.isEmpty && i > 0 {
                pending += " "
                continue
            }
            tokens.append(pending + part)
            pending = ""
        }
        if !pending.isEmpty {
            if tokens.isEmpty { tokens.append(pending) } else { tokens[tokens.count - 1] += pending }
        }
        return tokens.isEmpty ? [""] : tokens
    }

    /// RFC 2047 `B` encoded words in UTF-8, each holding whole characters, sized so that the
    /// first fits on a line after `firstLineUsed` columns (`Subject:`) and the others on their
    /// own folded lines, within 76 columns.
    public static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        func capacity(_ used: Int) -> Int { max(4, (76 - used - 1 - encodedWordOverhead) / 4 * 3) }
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = capacity(firstLineUsed)
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > limit && !chunk.isEmpty {
                words.append("=?UTF-8?B?" + MIMEComposer.base64(chunk) + "?=")
                chunk = []
                limit = capacity(0)
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + MIMEComposer.base64(chunk) + "?=") }
        return words
    }

    // MARK: Addresses

    /// RFC 5322 `atext`, the characters a display name may hold unquoted (with spaces).
    static func isAtomText(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    /// A display name as tokens: atoms as they are, a quoted string when it holds specials,
    /// encoded words when it is not ASCII or too long to stay on one line.
    static func phrase(_ name: String) -> [String] {
        let ascii = name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if ascii && !name.contains("=?") && name.utf8.count <= longestPlainWord - 10 {
            if name.utf8.allSatisfy({ isAtomText($0) || $0 == 0x20 }), !name.hasPrefix(" "), !name.hasSuffix(" "), !name.contains("  ") {
                return name.split(separator: " ").map(String.init)
            }
            return [quoted(name)]
        }
        return encodedWords(name, firstLineUsed: 0)
    }

    /// A quoted string, `"` and `\` escaped.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `To: Name <a@x>, b@y`, one mailbox after another, folded between them.
    static func addressList(name: String, _ addresses: [MailAddress]) -> String {
        var tokens: [String] = []
        for (i, address) in addresses.enumerated() {
            var mailbox = address.name.map(phrase) ?? []
            mailbox.append(address.name == nil ? address.address : "<" + address.address + ">")
            if i < addresses.count - 1 { mailbox[mailbox.count - 1] += "," }
            tokens += mailbox
        }
        return fold(name: name, tokens: tokens)
    }

    // MARK: Parameters (RFC 2045, RFC 2231)

    /// RFC 2231 `attribute-char`: what a parameter value keeps unescaped.
    static func isAttributeChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            return true
        default:
            return "!#$&+-.^_`|~".utf8.contains(byte)
        }
    }

    /// `attribute="value"` when the value is short printable ASCII; else RFC 2231
    /// `attribute*=UTF-8''%..` split into `attribute*0*=`, `attribute*1*=`... pieces of at most
    /// 60 characters that never cut a `%XX` escape.
    static func parameter(_ attribute: String, _ value: String) -> [String] {
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && value.utf8.count <= 60 {
            return [attribute + "=" + quoted(value)]
        }
        var pieces: [String] = []
        var piece = "UTF-8''"
        for byte in value.utf8 {
            let escaped = isAttributeChar(byte) ? String(UnicodeScalar(byte)) : "%" + hex(byte)
            if piece.utf8.count + escaped.utf8.count > 60 {
                pieces.append(piece)
                piece = ""
            }
            piece += escaped
        }
        pieces.append(piece)
        if pieces.count == 1 { return [attribute + "*=" + pieces[0]] }
        return pieces.enumerated().map { attribute + "*\($0.offset)*=" + $0.element }
    }

    /// A plain ASCII stand-in for a file name, for readers that do not know RFC 2231:
    /// every character outside printable ASCII becomes `_`.
    static func asciiFallback(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? $0 : "_" }))
    }

    /// `Content-Type: value; a=b; ...`, one parameter per folded line when they do not fit.
    static func parameterized(name: String, value: String, parameters: [String]) -> String {
        var tokens = [value + (parameters.isEmpty ? "" : ";")]
        for (i, p) in parameters.enumerated() { tokens.append(p + (i < parameters.count - 1 ? ";" : "")) }
        return fold(name: name, tokens: tokens)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    // MARK: Dates (RFC 5322 3.3)

    /// `Sat, 21 Nov 2026 08:00:00 +0100`, in `timeZone`.
    public static func date(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = timeZone.secondsFromGMT(for: date) / 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let zone = (offset < 0 ? "-" : "+") + two(abs(offset) / 60) + two(abs(offset) % 60)
        return "\(days[(c.weekday ?? 1) - 1]), \(c.day ?? 1) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) "
            + "\(two(c.hour ?? 0)):\(two(c.minute ?? 0)):\(two(c.second ?? 0)) \(zone)"
    }
}
