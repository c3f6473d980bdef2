import Foundation
import SluiceCore

/// A message template kept in `pipelines/templates/` with a text and an HTML version:
/// `NAME.txt` (or `NAME.mustache`, or `NAME` itself) and `NAME.html`. Either may be
/// missing, not both. `{{> other}}` includes another template of the folder (`other.html`
/// in the HTML, `other.txt` in the text).
public struct BodyTemplates: Sendable {
    public var name: String
    public var text: TemplateSource?
    public var html: TemplateSource?
    /// The files they came from, relative to the workspace (`pipelines/templates/NAME.txt`).
    public var files: [String]
}

extension TemplateFiles {
    static let textExtensions = [".txt", ".mustache", ""]

    /// The files `loadBodies` tries for NAME: the text body's, in order, then the HTML body's.
    public static func bodyCandidates(_ name: String) -> [[String]] { [textExtensions.map { name + $0 }, [name + ".html"]] }

    /// Loads NAME's text and HTML templates. Errors name the file and the place in it.
    public static func loadBodies(_ name: String, workspace: Workspace) throws -> BodyTemplates {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw StepError(.configuration, "template name '\(name)' must be a plain name in pipelines/templates/")
        }
        var bodies = BodyTemplates(name: name, text: nil, html: nil, files: [])
        for ext in textExtensions {
            if let (source, file) = try parse(name + ext, workspace: workspace) {
                bodies.text = source
                bodies.files.append(file)
                break
            }
        }
        if let (source, file) = try parse(name + ".html", workspace: workspace) {
            bodies.html = source
            bodies.files.append(file)
        }
        guard bodies.text != nil || bodies.html != nil else {
            throw StepError(.configuration, "no template '\(name)' in pipelines/templates/",
                            hint: "create pipelines/templates/\(name).txt (text) and/or \(name).html (HTML)")
        }
        return bodies
    }

    /// The template in `file`, nil when there is no such file.
    static func parse(_ file: String, workspace: Workspace) throws -> (TemplateSource, String)? {
        let path = workspace.templates + "/" + file
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return (try TemplateSource(parsing: String(decoding: data, as: UTF8.self)), "pipelines/templates/" + file)
        } catch let e as TemplateError {
            throw StepError(.configuration, "template pipelines/templates/\(file):\(e.line):\(e.column): \(e.message)")
        }
    }

    /// Finds `{{> name}}` in the templates folder, preferring `preferred` (`.html` or `.txt`).
    static func partial(_ name: String, preferring preferred: String, workspace: Workspace) -> Template? {
        guard !name.contains("/"), !name.hasPrefix(".") else { return nil }
        for ext in [preferred, ".txt", ".mustache", ""] {
            if let data = FileManager.default.contents(atPath: workspace.templates + "/" + name + ext),
               let template = try? Template(parsing: String(decoding: data, as: UTF8.self)) {
                return template
            }
        }
        return nil
    }
}

extension BodyTemplates {
    /// The text and HTML rendered with `values` (the HTML with its values escaped for HTML).
    public func render(_ values: TemplateValue, workspace: Workspace) throws -> (text: String?, html: String?) {
        func render(_ source: TemplateSource?, escaping: TemplateEscaping, preferring ext: String) throws -> String? {
            guard let source else { return nil }
            do {
                return try source.template.render(values, escaping: escaping) {
                    TemplateFiles.partial($0, preferring: ext, workspace: workspace)
                }
            } catch {
                throw StepError(.configuration, "cannot render template '\(name)\(ext)': \(error.message)")
            }
        }
        return (try render(text, escaping: .none, preferring: ".txt"), try render(html, escaping: .html, preferring: ".html"))
    }
}
