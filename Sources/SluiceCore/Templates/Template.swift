import Foundation

/// A Mustache template: file names (`rapport_{{run.date}}.xlsx`), message texts
/// (`{{rows.count}} lignes`), JSON webhook bodies and e-mail bodies.
///
/// Supported, after the Mustache specification's core:
/// - `{{name}}` (escaped per `TemplateEscaping`), `{{{name}}}` and `{{& name}}` (raw);
///   dotted names `{{run.date}}`, where a number picks a list's item from 0
///   (`{{ventes.items.0.Produit}}`); `{{.}}` for the current item. Names may contain spaces
///   (`{{Prix unitaire}}`). Missing names render as nothing; objects and lists render as
///   nothing in a variable tag.
/// - Sections `{{#x}}…{{/x}}`: repeated for each item of a list, rendered once with an
///   object or a truthy scalar pushed as the current context, skipped when falsy (missing,
///   null, false, empty text, empty list). Inverted sections `{{^x}}…{{/x}}`: rendered only
///   when falsy.
/// - Comments `{{! … }}`, standalone-line removal for section, comment and partial tags.
/// - Partials `{{> name}}`, found through the resolver given to `render`, rendered in the
///   current context, indented like a standalone tag; a missing partial renders nothing;
///   more than 32 levels of nesting is an error.
/// - Set-delimiter tags `{{=<% %>=}}` are a parse error: not supported.
/// - Formatting filters after a `|` in a variable tag (`{{total | money: CHF}}`,
///   `{{run.date | date: full}}`): see `TemplateFilter`. An unknown filter, locale, currency
///   or style is a parse error.
///
/// A name is looked up in the innermost context first, then outward; in a dotted name only
/// the first segment walks outward (`{{a.b}}` never finds `b` outside `a`).
public struct Template: Sendable, Hashable {
    /// The text the template was parsed from.
    public let source: String
    let nodes: [TemplateNode]

    /// Parses `source`. Errors: unclosed tag, unclosed section, mismatched or stray
    /// closing tag, empty tag, set-delimiter tag.
    public init(parsing source: String) throws(TemplateError) {
        self.source = source
        self.nodes = try TemplateParser.parse(source)
    }

    public static func == (a: Template, b: Template) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// The dotted names of variable and section tags outside every section, in order, each
    /// once: what the template needs from the root context. Names inside sections may come
    /// from the section's item and are not listed.
    public var referencedPaths: [String] {
        var paths: [String] = []
        var seen: Set<String> = []
        for case let name? in nodes.map(\.topLevelName) where !name.isImplicit {
            if seen.insert(name.dotted).inserted { paths.append(name.dotted) }
        }
        return paths
    }

    /// Names that no root could resolve, with their positions, for `sluice validate`.
    ///
    /// Outside sections, a name's first segment must be one of `knownRoots`. Inside a
    /// section a name may come from the section's item, whose fields are not known here,
    /// so only likely typos of a root are reported: dotted names whose first segment is not
    /// a root but is one or two edits away from one (`{{totuax.rows}}`; `{{tot.x}}` is left
    /// alone). Partials are not followed.
    public func check(knownRoots: Set<String>) -> [TemplateError] {
        var errors: [TemplateError] = []
        let roots = knownRoots.sorted()
        func checkName(_ name: TemplateName, insideSection: Bool) {
            guard let first = name.segments.first, !knownRoots.contains(first) else { return }
            let suggestion = Suggestion.closest(to: first, among: roots)
            if insideSection {
                // Only near misses of a root: one or two edits (`totuax`, not `tot`).
                guard name.segments.count >= 2, let suggestion,
                      Suggestion.distance(first.lowercased(), suggestion.lowercased()) <= 2 else { return }
            }
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            errors.append(TemplateError(message: "unknown name '\(first)'\(hint)", line: name.line, column: name.column))
        }
        func visit(_ nodes: [TemplateNode], insideSection: Bool) {
            for node in nodes {
                switch node {
                case let .variable(name, _, _):
                    checkName(name, insideSection: insideSection)
                case let .section(name, body, _):
                    if name.segments.count == 1, let filter = TemplateFilter.Kind(rawValue: name.segments[0]), !knownRoots.contains(name.segments[0]) {
                        // Mustache lambdas do not exist here: formatting is a filter.
                        errors.append(TemplateError(
                            message: "'\(filter.rawValue)' is a filter, not a section: write {{value | \(filter.rawValue)\(filter == .money ? ": CHF" : "")}}",
                            line: name.line, column: name.column))
                        continue
                    }
                    checkName(name, insideSection: insideSection)
                    visit(body, insideSection: true)
                case .text, .partial:
                    break
                }
            }
        }
        visit(nodes, insideSection: false)
        return errors
    }

    /// The partials it includes (`{{> signature}}`), in order, each once, with where the
    /// first tag naming each is.
    public var partials: [(name: String, line: Int, column: Int)] {
        var names: [(name: String, line: Int, column: Int)] = []
        func visit(_ nodes: [TemplateNode]) {
            for node in nodes {
                switch node {
                case let .partial(name, _, line, column): if !names.contains(where: { $0.name == name }) { names.append((name, line, column)) }
                case let .section(_, body, _): visit(body)
                case .text, .variable: break
                }
            }
        }
        visit(nodes)
        return names
    }

    /// Renders the template. `escaping` applies to `{{name}}` tags; `partials` resolves
    /// `{{> name}}` (return nil for "no such partial", which renders nothing).
    ///
    /// Formatting filters (`{{total | money: CHF}}`) use the locale they name, else `locale`,
    /// else the context's `run.locale` (a pipeline's `locale:`), else the machine's.
    public func render(_ context: TemplateValue, escaping: TemplateEscaping = .none, locale: Locale? = nil,
                       partials: (String) -> Template? = { _ in nil }) throws(TemplateError) -> String {
        let resolved = locale ?? Self.contextLocale(context) ?? TemplateFormatting.machineLocale
        var renderer = TemplateRenderer(context: context, escaping: escaping, locale: resolved)
        renderer.output.reserveCapacity(source.utf8.count)
        try renderer.render(nodes, partials: partials)
        return renderer.output
    }
}

extension Template {
    /// The locale named by the context's `run.locale`.
    static func contextLocale(_ context: TemplateValue) -> Locale? {
        guard case let .object(root) = context, case let .object(run)? = root["run"],
              case let .value(.string(name))? = run["locale"] else { return nil }
        return TemplateFormatting.locale(named: name)
    }
}

extension TemplateNode {
    var topLevelName: TemplateName? {
        switch self {
        case let .variable(name, _, _), let .section(name, _, _): name
        case .text, .partial: nil
        }
    }
}
