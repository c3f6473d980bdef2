import Foundation

/// A trigger's reference as `sluice triggers` prints it: plain text, or Markdown for
/// docs/triggers.md.
public enum TriggerReference {
    public static func text(_ r: TriggerRegistration, markdown: Bool) -> String {
        let d = r.documentation
        let how = r.delivery == .watched ? "watched by the daemon" : "fired with parameters"
        var out = ""
        if markdown {
            out += "### `\(r.key)`\n\n\(d.summary)\n\n"
            if !d.fields.isEmpty {
                out += "| key | type | default | |\n|---|---|---|---|\n"
                func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
                for f in d.fields {
                    out += "| `\(f.name)`\(f.required ? " (required)" : "") | \(cell(f.type)) | \(cell(f.defaultValue ?? "")) | \(cell(f.summary)) |\n"
                }
                out += "\n"
            }
            if let x = d.details { out += "\(x)\n\n" }
            out += "```yaml\n\(d.example)\n```\n"
        } else {
            out += "\(r.key)  [\(how)]\n"
            out += wrap(d.summary, indent: "  ") + "\n"
            for f in d.fields {
                var line = "    \(f.name)\(f.required ? " (required)" : ""): \(f.type)"
                if let def = f.defaultValue { line += " = \(def)" }
                out += line + "\n" + wrap(f.summary, indent: "        ") + "\n"
            }
            if let x = d.details { out += wrap(x, indent: "  ") + "\n" }
            out += "  example:\n" + d.example.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func wrap(_ text: String, indent: String, width: Int = 100) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width && line != indent { lines.append(line); line = indent }
            line += (line == indent ? "" : " ") + word
        }
        if line != indent { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
