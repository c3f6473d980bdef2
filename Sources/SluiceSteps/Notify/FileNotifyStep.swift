import Foundation
import SluiceCore

/// `file`: a rendered message written to the outbox (a confirmation, a summary).
public struct FileNotifyStep: Step {
    public struct Configuration: Decodable, Sendable {
        /// The file's name (a template).
        public var name: TemplateSource
        /// The message (a template), or `template:` naming a file in pipelines/templates/.
        public var text: TemplateSource?
        public var template: String?
    }

    public static let kind = "file"
    public static let stages: Set<StageName> = [.notify]
    public static let documentation = StepDocumentation(
        summary: """
        Writes a message rendered from a template to `outbox/<pipeline>/`. The text is given inline (`text`) or as a \
        template file in `pipelines/templates/` (`template: NAME` reads NAME, NAME.txt or NAME.mustache).
        """,
        fields: [
            .init("name", "template", required: true, "The file name, e.g. `confirmation_{{input.stem}}.txt`."),
            .init("text", "template", "The message."),
            .init("template", "name", "A template file in pipelines/templates/ (instead of text)."),
        ],
        example: """
        - file:
            name: "confirmation_{{input.stem}}.txt"
            text: "{{commandes.rows}} lignes enregistrées, {{commandes.rejects.rows}} rejetées."
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        context.check(configuration.name)
        if let t = configuration.text { context.check(t) }
        if (configuration.text == nil) == (configuration.template == nil) { context.error("give either 'text' or 'template'") }
        if let name = configuration.template {
            if TemplateFiles.isPlainName(name) {
                context.requireTemplateFile(name, groups: [TemplateFiles.candidates(name)], at: ["template"])
            } else {
                context.error("template name '\(name)' must be a plain name in pipelines/templates/", at: ["template"])
            }
        }
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let name = try context.outputFileName(configuration.name)
        let text: String
        if let t = configuration.text {
            text = try context.render(t)
        } else {
            let template = try TemplateFiles.load(configuration.template!, workspace: context.workspace)
            text = try context.render(template)
        }
        let path = context.outputDirectory + "/" + name
        try FileOperations.write(Array(text.utf8), to: path)
        return StepOutput(dataset: context.input, outputs: [AttachedFile(name: name, path: path)])
    }
}

/// Templates kept in `pipelines/templates/`.
public enum TemplateFiles {
    /// A name that stays inside pipelines/templates/.
    public static func isPlainName(_ name: String) -> Bool { !name.isEmpty && !name.contains("/") && !name.hasPrefix(".") }

    /// The files `load` tries for NAME, in order.
    public static func candidates(_ name: String) -> [String] { [name, name + ".txt", name + ".mustache", name + ".html"] }

    public static func load(_ name: String, workspace: Workspace) throws -> TemplateSource {
        guard isPlainName(name) else {
            throw StepError(.configuration, "template name '\(name)' must be a plain name in pipelines/templates/")
        }
        for candidate in candidates(name) {
            let path = workspace.templates + "/" + candidate
            if let data = FileManager.default.contents(atPath: path) {
                do { return try TemplateSource(parsing: String(decoding: data, as: UTF8.self)) } catch let e as TemplateError {
                    throw StepError(.configuration, "template pipelines/templates/\(candidate):\(e.line):\(e.column): \(e.message)")
                }
            }
        }
        throw StepError(.configuration, "no template '\(name)' in pipelines/templates/", hint: "create pipelines/templates/\(name).txt")
    }
}
