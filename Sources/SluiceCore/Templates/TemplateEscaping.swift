/// How `{{name}}` output is escaped (`{{{name}}}` and `{{& name}}` are never escaped).
public enum TemplateEscaping: Sendable {
    /// Text as is: file names, chat messages.
    case none
    /// `& < > " '` as entities, for HTML e-mail bodies.
    case html
    /// Escaped to sit inside a JSON string literal: `"` `\` and control characters.
    case json

    /// Appends `text` to `output`, escaped. Text with nothing to escape is appended whole.
    func append(_ text: String, to output: inout String) {
        switch self {
        case .none:
            output += text
        case .html:
            guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
                output += text
                return
            }
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": output += "&amp;"
                case "<": output += "&lt;"
                case ">": output += "&gt;"
                case "\"": output += "&quot;"
                case "'": output += "&#39;"
                default: output.unicodeScalars.append(scalar)
                }
            }
        case .json:
            guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                output += text
                return
            }
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case "\u{08}": output += "\\b"
                case "\u{0C}": output += "\\f"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        output.unicodeScalars.append(scalar)
                    }
                }
            }
        }
    }
}
