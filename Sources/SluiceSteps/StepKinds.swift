import Foundation
import SluiceCore

/// Every step kind Sluice knows. Adding a kind is one line here.
public enum StepKinds {
    public static let registry = StepRegistry([
        // extract
        FilesStep.registration,
        CSVExtractStep.registration,
        JSONExtractStep.registration,
        XLSXExtractStep.registration,
        IMAPStep.registration,
        // transform
        ValidateStep.registration,
        FilterStep.registration,
        ComputeStep.registration,
        SelectStep.registration,
        RenameStep.registration,
        AggregateStep.registration,
        DeltaStep.registration,
        // load
        DatabaseLoadStep.registration,
        CSVLoadStep.registration,
        JSONLoadStep.registration,
        XLSXLoadStep.registration,
        // notify
        WebhookStep.registration,
        FileNotifyStep.registration,
        EmailStep.registration,
        // any stage
        WaitStep.registration,
    ])
}

/// Renders a kind's documentation for `sluice steps` and the README.
public enum StepDocumentationPrinter {
    public static func text(_ r: StepRegistration, markdown: Bool) -> String {
        let d = r.documentation
        let stages = StageName.allCases.filter { r.stages.contains($0) }.map(\.rawValue).joined(separator: ", ")
        var out = ""
        if markdown {
            out += "#### `\(r.kind)` (\(stages))\n\n\(d.summary)\n\n"
            out += "| key | type | default | |\n|---|---|---|---|\n"
            func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
            for f in d.fields {
                var about = f.summary
                if let secret = f.secret { about += " (\(secret.note); `validate` warns of a literal.)" }
                if let e = f.example { about += " Example: `\(e)`." }
                out += "| `\(f.name)`\(f.required ? " (required)" : "") | \(cell(f.type)) | \(cell(f.defaultValue ?? "")) | \(cell(about)) |\n"
            }
            if let p = d.produces { out += "\nAlso produces \(p).\n" }
            if let x = d.details { out += "\n\(x)\n" }
            out += "\n```yaml\n\(d.example)\n```\n"
        } else {
            out += "\(r.kind)  [\(stages)]\n"
            out += wrap(d.summary, indent: "  ") + "\n"
            for f in d.fields {
                var line = "    \(f.name)\(f.required ? " (required)" : ""): \(f.type)"
                if let def = f.defaultValue { line += " = \(def)" }
                if let secret = f.secret { line += "  (\(secret.note))" }
                out += line + "\n" + wrap(f.summary, indent: "        ") + "\n"
                if let e = f.example { out += "        e.g. \(e)\n" }
            }
            if let p = d.produces { out += "  also produces \(p)\n" }
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
