import Foundation

/// A trigger's reference as `sluice triggers` prints it: plain text, or Markdown for
/// docs/triggers.md (through ``ReferenceText``, as step kinds are).
public enum TriggerReference {
    public static func text(_ r: TriggerRegistration, markdown: Bool) -> String {
        let d = r.documentation
        let how = r.delivery == .watched ? "watched by the daemon" : "fired with parameters"
        var out = ""
        if markdown {
            out += "### `\(r.key)`\n\n\(d.summary)\n\n"
            if !d.fields.isEmpty { out += ReferenceText.fields(d.fields, markdown: true) + "\n" }
            if let x = d.details { out += "\(x)\n\n" }
            out += ReferenceText.example(d.example, markdown: true)
        } else {
            out += "\(r.key)  [\(how)]\n"
            out += ReferenceText.wrap(d.summary, indent: "  ") + "\n"
            out += ReferenceText.fields(d.fields, markdown: false)
            if let x = d.details { out += ReferenceText.wrap(x, indent: "  ") + "\n" }
            out += ReferenceText.example(d.example, markdown: false)
        }
        return out
    }
}
