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
            out += ReferenceText.fields(d.fields, markdown: true)
            if let p = d.produces { out += "\nAlso produces \(p).\n" }
            if let x = d.details { out += "\n\(x)\n" }
            out += "\n" + ReferenceText.example(d.example, markdown: true)
        } else {
            out += "\(r.kind)  [\(stages)]\n"
            out += ReferenceText.wrap(d.summary, indent: "  ") + "\n"
            out += ReferenceText.fields(d.fields, markdown: false)
            if let p = d.produces { out += "  also produces \(p)\n" }
            if let x = d.details { out += ReferenceText.wrap(x, indent: "  ") + "\n" }
            out += ReferenceText.example(d.example, markdown: false)
        }
        return out
    }
}
