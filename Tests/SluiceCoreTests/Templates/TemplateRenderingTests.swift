import SluiceCore
import Testing

/// One rendering case: a template, its context, the expected text, and optional partials.
struct RenderCase: Sendable, CustomTestStringConvertible {
    var name: String
    var template: String
    var context: TemplateValue
    var expected: String
    var partials: [String: String] = [:]

    var testDescription: String { name }

    func render(escaping: TemplateEscaping = .none) throws -> String {
        let partials = try self.partials.mapValues { try Template(parsing: $0) }
        return try Template(parsing: template).render(context, escaping: escaping, partials: { partials[$0] })
    }
}

@Suite struct TemplateRenderingTests {
    static let decimal = TemplateValue.value(.decimal(DecimalNumber(parsing: "1234.50")!))

    static let interpolationCases: [RenderCase] = [
        RenderCase(name: "no tags", template: "Hello from {Mustache}!\n", context: [:], expected: "Hello from {Mustache}!\n"),
        RenderCase(name: "basic", template: "Hello, {{subject}}!", context: ["subject": "world"], expected: "Hello, world!"),
        RenderCase(name: "file name", template: "rapport_{{run.date}}.xlsx", context: ["run": ["date": "2026-11-01"]],
                   expected: "rapport_2026-11-01.xlsx"),
        RenderCase(name: "decimal keeps scale", template: "{{total}} CHF", context: ["total": decimal], expected: "1234.50 CHF"),
        RenderCase(name: "integer and bool", template: "{{n}} {{b}}", context: ["n": 42, "b": false], expected: "42 false"),
        RenderCase(name: "date value", template: "{{d}}", context: ["d": .value(.date(LocalDate(year: 2026, month: 11, day: 1)!))],
                   expected: "2026-11-01"),
        RenderCase(name: "null and missing are empty", template: "[{{n}}][{{missing}}][{{a.b.c}}]", context: ["n": nil],
                   expected: "[][][]"),
        RenderCase(name: "objects and lists render empty", template: "[{{o}}][{{l}}]", context: ["o": ["a": 1], "l": [1, 2]],
                   expected: "[][]"),
        RenderCase(name: "padding inside tags", template: "|{{ subject }}|{{{ subject }}}|{{& subject }}|", context: ["subject": "x"],
                   expected: "|x|x|x|"),
        RenderCase(name: "names with spaces", template: "{{Prix unitaire}}", context: ["Prix unitaire": "9.90"], expected: "9.90"),
        RenderCase(name: "dotted names", template: "{{a.b.c}} {{a.b.missing}}", context: ["a": ["b": ["c": "deep"]]], expected: "deep "),
        RenderCase(name: "dotted: first segment outward only", template: "{{#a}}[{{b.c}}]{{/a}}",
                   context: ["a": ["b": [:]], "b": ["c": "ERROR"]], expected: "[]"),
        RenderCase(name: "variables are never standalone", template: "  {{string}}\n", context: ["string": "---"], expected: "  ---\n"),
        RenderCase(name: "surrounding whitespace kept", template: "| {{string}} |", context: ["string": "---"], expected: "| --- |"),
    ]

    static let sectionsCases: [RenderCase] = [
        RenderCase(name: "true", template: "{{#b}}yes{{/b}}", context: ["b": true], expected: "yes"),
        RenderCase(name: "false", template: "{{#b}}yes{{/b}}", context: ["b": false], expected: ""),
        RenderCase(name: "missing, null, empty text, empty list",
                   template: "{{#m}}1{{/m}}{{#n}}2{{/n}}{{#s}}3{{/s}}{{#l}}4{{/l}}.", context: ["n": nil, "s": "", "l": []], expected: "."),
        RenderCase(name: "zero is truthy", template: "{{#n}}<{{.}}>{{/n}}", context: ["n": 0], expected: "<0>"),
        RenderCase(name: "list of scalars", template: "{{#list}}({{.}}){{/list}}", context: ["list": [1, 2, 3]], expected: "(1)(2)(3)"),
        RenderCase(name: "list of objects", template: "{{#ventes}}{{Produit}}={{Montant}};{{/ventes}}",
                   context: ["ventes": [["Produit": "Pomme", "Montant": decimal], ["Produit": "Kiwi", "Montant": nil]]],
                   expected: "Pomme=1234.50;Kiwi=;"),
        RenderCase(name: "object pushed", template: "{{#totaux}}{{rows}} rows{{/totaux}}", context: ["totaux": ["rows": 3]], expected: "3 rows"),
        RenderCase(name: "outer names visible", template: "{{#items}}{{name}}@{{site}} {{/items}}",
                   context: ["site": "Bulle", "items": [["name": "a"], ["name": "b", "site": "Fribourg"]]], expected: "a@Bulle b@Fribourg "),
        RenderCase(name: "list item by number", template: "{{m.items.0.from}}|{{m.items.1.from}}|{{m.items.2.from}}|{{#m.items.1}}{{from}}{{/m.items.1}}",
                   context: ["m": ["items": [["from": "a@x"], ["from": "b@x"]]]], expected: "a@x|b@x||b@x"),
        RenderCase(name: "nested lists", template: "{{#rows}}[{{#cells}}{{.}}{{/cells}}]{{/rows}}",
                   context: ["rows": [["cells": [1, 2]], ["cells": [3]]]], expected: "[12][3]"),
        RenderCase(name: "dotted section", template: "{{#a.b}}{{c}}{{/a.b}}", context: ["a": ["b": ["c": "ok"]]], expected: "ok"),
        RenderCase(name: "inverted on falsy", template: "{{^l}}none{{/l}}{{^t}}hidden{{/t}}", context: ["l": [], "t": true], expected: "none"),
        RenderCase(name: "inverted on missing", template: "{{^missing}}none{{/missing}}", context: [:], expected: "none"),
        RenderCase(name: "standalone lines removed", template: "| This Is\n{{#b}}\n|\n{{/b}}\n| A Line\n", context: ["b": true],
                   expected: "| This Is\n|\n| A Line\n"),
        RenderCase(name: "indented standalone lines removed", template: "| This Is\n  {{#b}}\n|\n  {{/b}}\n| A Line\n",
                   context: ["b": true], expected: "| This Is\n|\n| A Line\n"),
        RenderCase(name: "standalone CRLF", template: "|\r\n{{#b}}\r\n{{/b}}\r\n|", context: ["b": true], expected: "|\r\n|"),
        RenderCase(name: "standalone without previous line", template: "  {{#b}}\n#{{/b}}\n/", context: ["b": true], expected: "#\n/"),
        RenderCase(name: "standalone without newline", template: "#{{#b}}\n/\n  {{/b}}", context: ["b": true], expected: "#\n/\n"),
        RenderCase(name: "inline sections kept", template: " {{#b}}YES{{/b}}\n {{#b}}GOOD{{/b}}\n", context: ["b": true],
                   expected: " YES\n GOOD\n"),
        RenderCase(name: "two tags on a line are not standalone", template: "{{#b}}{{/b}}\n.", context: ["b": true], expected: "\n."),
        RenderCase(name: "standalone inverted", template: "a\n{{^l}}\nempty\n{{/l}}\nb", context: [:], expected: "a\nempty\nb"),
    ]

    static let commentsCases: [RenderCase] = [
        RenderCase(name: "inline", template: "12345{{! Comment Block! }}67890", context: [:], expected: "1234567890"),
        RenderCase(name: "multiline", template: "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n", context: [:],
                   expected: "1234567890\n"),
        RenderCase(name: "standalone", template: "Begin.\n  {{! Comment Block! }}\nEnd.\n", context: [:], expected: "Begin.\nEnd.\n"),
        RenderCase(name: "indented inline", template: "  12 {{! 34 }}\n", context: [:], expected: "  12 \n"),
        RenderCase(name: "braces inside", template: "a{{! {not a tag} }}b", context: [:], expected: "ab"),
    ]

    static let partialsCases: [RenderCase] = [
        RenderCase(name: "basic", template: "\"{{>text}}\"", context: [:], expected: "\"from partial\"", partials: ["text": "from partial"]),
        RenderCase(name: "missing renders nothing", template: "\"{{>text}}\"", context: [:], expected: "\"\""),
        RenderCase(name: "current context", template: "{{#items}}{{> item}};{{/items}}", context: ["items": [["n": 1], ["n": 2]]],
                   expected: "<1>;<2>;", partials: ["item": "<{{n}}>"]),
        RenderCase(name: "recursion", template: "{{>node}}",
                   context: ["content": "X", "nodes": [["content": "Y", "nodes": []]]], expected: "X<Y<>>",
                   partials: ["node": "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"]),
        RenderCase(name: "standalone indentation", template: "\\\n {{>partial}}\n/\n", context: ["content": "<\n->"],
                   expected: "\\\n |\n <\n->\n |\n/\n", partials: ["partial": "|\n{{{content}}}\n|\n"]),
        RenderCase(name: "nested indentation", template: "a\n  {{>outer}}\nz\n", context: [:],
                   expected: "a\n  o1\n    i1\n    i2\n  o2\nz\n", partials: ["outer": "o1\n  {{>inner}}\no2\n", "inner": "i1\ni2\n"]),
        RenderCase(name: "inline partial not indented", template: "  {{data}}  {{> partial}}\n", context: ["data": "|"],
                   expected: "  |  >\n>\n", partials: ["partial": ">\n>"]),
        RenderCase(name: "standalone line removed", template: "|\n{{>p}}\n|", context: [:], expected: "|\n>\n|", partials: ["p": ">\n"]),
    ]

    @Test(arguments: interpolationCases) func interpolation(_ c: RenderCase) throws { #expect(try c.render() == c.expected) }
    @Test(arguments: sectionsCases) func sections(_ c: RenderCase) throws { #expect(try c.render() == c.expected) }
    @Test(arguments: commentsCases) func comments(_ c: RenderCase) throws { #expect(try c.render() == c.expected) }
    @Test(arguments: partialsCases) func partials(_ c: RenderCase) throws { #expect(try c.render() == c.expected) }

    @Test func selfIncludingPartialStopsWithAnError() throws {
        let looping = try Template(parsing: "x\n  {{> self}}")
        let template = try Template(parsing: "{{> self}}")
        let error = #expect(throws: TemplateError.self) { try template.render([:], partials: { _ in looping }) }
        #expect(error?.message.contains("nested more than 32 deep") == true)
        #expect(error?.line == 2)
        #expect(error?.column == 3)
    }

    @Test(arguments: [
        (TemplateEscaping.none, "a & <b> \"c\" 'd' \\ \n", "a & <b> \"c\" 'd' \\ \n"),
        (.html, "a & <b> \"c\" 'd'", "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;"),
        (.json, "say \"hi\"\\\n\t\r\u{01}\u{08}\u{0C} é", "say \\\"hi\\\"\\\\\\n\\t\\r\\u0001\\b\\f é"),
        (.html, "plain text", "plain text"),
        (.json, "plain text", "plain text"),
    ])
    func escaping(mode: TemplateEscaping, value: String, expected: String) throws {
        let template = try Template(parsing: "{{v}}|{{{v}}}|{{& v}}")
        let rendered = try template.render(["v": .value(.string(value))], escaping: mode)
        #expect(rendered == "\(expected)|\(value)|\(value)")
    }

    @Test func jsonBodyStaysValid() throws {
        let template = try Template(parsing: "{\"text\": \"{{message}}\", \"rows\": {{{rows}}}}")
        let body = try template.render(["message": "Rapport \"ventes\"\nOK", "rows": 12], escaping: .json)
        #expect(body == "{\"text\": \"Rapport \\\"ventes\\\"\\nOK\", \"rows\": 12}")
    }
}
