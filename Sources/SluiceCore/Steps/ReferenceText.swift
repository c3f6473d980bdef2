import Foundation

/// The pieces `sluice steps` and `sluice triggers` print a component's reference with, as plain
/// text or as Markdown for docs/: the table of its keys, its example, wrapped prose. One
/// renderer, so a step kind's and a trigger's references read alike.
public enum ReferenceText {
    /// The keys: a Markdown table, or an indented list with each summary wrapped below its key.
    public static func fields(_ fields: [StepDocumentation.Field], markdown: Bool) -> String {
        var out = ""
        if markdown {
            guard !fields.isEmpty else { return "" }
            out += "| key | type | default | |\n|---|---|---|---|\n"
            func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
            for f in fields {
                var about = f.summary
                if let secret = f.secret { about += " (\(secret.note); `validate` warns of a literal.)" }
                if let e = f.example { about += " Example: `\(e)`." }
                out += "| `\(f.name)`\(f.required ? " (required)" : "") | \(cell(f.type)) | \(cell(f.defaultValue ?? "")) | \(cell(about)) |\n"
            }
        } else {
            for f in fields {
                var line = "    \(f.name)\(f.required ? " (required)" : ""): \(f.type)"
                if let def = f.defaultValue { line += " = \(def)" }
                if let secret = f.secret { line += "  (\(secret.note))" }
                out += line + "\n" + wrap(f.summary, indent: "        ") + "\n"
                if let e = f.example { out += "        e.g. \(e)\n" }
            }
        }
        return out
    }

    /// The YAML example: a fenced block, or indented under `example:`.
    public static func example(_ yaml: String, markdown: Bool) -> String {
        markdown
            ? "```yaml\n\(yaml)\n```\n"
            : "  example:\n" + yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    /// `text` wrapped at `width` columns, each line starting with `indent`.
    public static func wrap(_ text: String, indent: String, width: Int = 100) -> String {
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
