import SluiceCore
import Testing

@Suite struct TemplateParsingTests {
    @Test(arguments: [
        ("Hello {{name", "unclosed tag: missing '}}'", 1, 7),
        ("{{{raw}}", "unclosed tag: missing '}}}'", 1, 1),
        ("a\n{{#items}}\nb", "section 'items' is never closed: add '{{/items}}'", 2, 4),
        ("{{#a}}\n  x{{/b}}", "'{{/b}}' does not match '{{#a}}' opened at line 1, column 4", 2, 4),
        ("{{^a}}{{/b}}", "does not match '{{^a}}'", 1, 7),
        ("x{{/a}}", "'{{/a}}' closes a section that was never opened", 1, 2),
        ("{{=<% %>=}}", "set-delimiter tags ({{=<% %>=}}) are not supported", 1, 1),
        ("ok\n{{}}", "empty tag", 2, 1),
        ("{{a..b}}", "invalid name 'a..b'", 1, 3),
        ("{{>  }}", "a partial tag needs a name", 1, 1),
        ("Prix: é {{x", "unclosed tag", 1, 9),
    ])
    func errors(source: String, message: String, line: Int, column: Int) {
        let error = #expect(throws: TemplateError.self) { try Template(parsing: source) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
        #expect(error?.line == line && error?.column == column, "\(source): \(String(describing: error))")
    }

    @Test func errorDescriptionIsLineColumnMessage() {
        let error = TemplateError(message: "unclosed tag", line: 3, column: 7)
        #expect(error.description == "3:7: unclosed tag")
    }

    @Test func referencedPathsAreTopLevelNames() throws {
        let template = try Template(parsing: "{{run.date}} {{#ventes}}{{Produit}}{{/ventes}} {{^x}}{{y}}{{/x}} {{run.date}} {{{raw}}} {{.}} {{> p}}")
        #expect(template.referencedPaths == ["run.date", "ventes", "x", "raw"])
    }

    @Test func checkFindsUnknownRootsWithPositions() throws {
        let roots: Set<String> = ["run", "totaux", "ventes"]
        #expect(try Template(parsing: "rapport_{{run.date}}.xlsx").check(knownRoots: roots).isEmpty)

        let typo = try Template(parsing: "✅ {{totuax.rows}} lignes").check(knownRoots: roots)
        #expect(typo == [TemplateError(message: "unknown name 'totuax'; did you mean 'totaux'?", line: 1, column: 5)])

        let unknown = try Template(parsing: "a\n  {{ foo }}").check(knownRoots: roots)
        #expect(unknown == [TemplateError(message: "unknown name 'foo'", line: 2, column: 6)])

        let section = try Template(parsing: "{{#vente}}{{/vente}}").check(knownRoots: roots)
        #expect(section.map(\.message) == ["unknown name 'vente'; did you mean 'ventes'?"])
    }

    @Test func checkInsideSectionsReportsOnlyLikelyTypos() throws {
        let roots: Set<String> = ["run", "totaux", "ventes"]
        let source = """
        {{#ventes}}
        {{Produit}} {{Montant.devise}} {{.}} {{run.date}}
        {{totuax.rows}}
        {{#lignes}}{{tot.x}}{{/lignes}}
        {{/ventes}}
        """
        let errors = try Template(parsing: source).check(knownRoots: roots)
        #expect(errors == [TemplateError(message: "unknown name 'totuax'; did you mean 'totaux'?", line: 3, column: 3)])
    }

    @Test func templatesCompareBySource() throws {
        #expect(try Template(parsing: "{{a}}") == Template(parsing: "{{a}}"))
        #expect(try Template(parsing: "{{a}}").source == "{{a}}")
    }
}
