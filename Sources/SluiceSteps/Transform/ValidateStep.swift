import Foundation
import SluiceCore

/// `validate`: types, required cells, ranges, patterns, allowed values, uniqueness and row
/// rules. Rows that fail are rejected into a rejects file that mirrors the input with an
/// added `error` column, or fail the run, as the manifest says.
public struct ValidateStep: Step {
    public struct ColumnRule: Decodable, Sendable {
        public var type: ColumnType?
        public var required: Bool?
        public var min: String?
        public var max: String?
        public var pattern: String?
        public var oneOf: [String]?
        public var unique: Bool?
        /// For dates written otherwise than `yyyy-MM-dd` / `dd.MM.yyyy`: e.g. `dd/MM/yyyy`.
        public var format: String?

        /// The format read (nil when there is none, or it cannot be read: `check` says why).
        var dateFormat: DateFormat? { format.flatMap { try? DateFormat($0) } }
    }

    public struct RowRule: Decodable, Sendable {
        public var rule: ExpressionSource
        public var message: String?

        enum CodingKeys: String, CodingKey { case rule, message }

        public init(from decoder: any Decoder) throws {
            if let keyed = try? decoder.container(keyedBy: CodingKeys.self) {
                rule = try keyed.decode(ExpressionSource.self, forKey: .rule)
                message = try keyed.decodeIfPresent(String.self, forKey: .message)
            } else {
                rule = try ExpressionSource(from: decoder)
            }
        }
    }

    public enum OnInvalid: String, Decodable, Sendable { case rejectRow = "reject-row", failRun = "fail-run" }
    public enum ExtraColumns: String, Decodable, Sendable { case keep, drop, reject }

    public struct Configuration: Decodable, Sendable {
        public var columns: OrderedMapping<ColumnRule>?
        public var rules: [RowRule]?
        public var onInvalid: OnInvalid?
        public var extraColumns: ExtraColumns?
        public var decimalSeparator: ValueParser.DecimalSeparator?
        /// The rejects file's name (a template); default `<input stem>_rejects.<csv|xlsx>`.
        public var rejects: TemplateSource?
        /// How many rejected rows fail the run (`10`, `5%`); default: only rejecting every row does.
        public var maxRejects: String?

        var rejectLimit: RejectLimit? { maxRejects.flatMap(RejectLimit.init(parsing:)) }
    }

    public static let kind = "validate"
    public static let stages: Set<StageName> = [.transform]
    public static let documentation = StepDocumentation(
        summary: """
        Checks every row: per column `type` (string, integer, decimal, date, datetime, bool — text is converted), \
        `required`, `min`/`max` (numbers, dates, or text length for strings), `pattern` (a regular expression the whole \
        text must match), `one-of`, `unique`; and row `rules` (expressions that must be true). \
        With `on-invalid: reject-row` (the default) bad rows go to a rejects file published next to the outputs, \
        mirroring the input with an added `error` column; with `fail-run` any bad row fails the run (the rejects file \
        is still published). With `reject-row`, a run that rejects every row (of at least one) fails, as does one that \
        rejects more than `max-rejects`. A column declared but missing from the input fails the run. Decimals may be \
        grouped by three (`1 234,50`, `1'234.50`) and end in `%` (`8,1%` is 0.081); exponents are refused. A date \
        `format` is written `dd.MM.yyyy`, `dd.mm.yyyy`, `jj.mm.aaaa` or `%d.%m.%Y` alike.
        """,
        fields: [
            .init("columns", "mapping", example: "{ Montant: { type: decimal, min: 0 } }", "Rules per column: type, required, min, max, pattern, one-of, unique, format."),
            .init("rules", "list", "Row rules: an expression, or `{ rule: EXPR, message: TEXT }`."),
            .init("on-invalid", "reject-row | fail-run", default: "reject-row", "What a bad row does."),
            .init("extra-columns", "keep | drop | reject", default: "keep", "Columns not declared: kept, dropped, or an error."),
            .init("decimal-separator", "'.' or ','", default: "'.'", "How decimals are written in text (`12,50` needs ',')."),
            .init("rejects", "template", default: "<input>_rejects.csv", "Name of the rejects file in the outbox."),
            .init("max-rejects", "count or percentage", default: "every row", example: "5%", "The run fails when more rows are rejected: a count (`10`) or a share of the rows (`5%`); `100%` never fails."),
        ],
        example: """
        - validate:
            columns:
              Date:    { type: date, required: true }
              Produit: { type: string, required: true }
              Montant: { type: decimal, min: 0 }
              Ref:     { pattern: "[A-Z]{2}-[0-9]+", unique: true }
            rules:
              - { rule: "Montant < 10000 or Produit = 'Service'", message: "montant trop élevé" }
            on-invalid: reject-row
        """,
        produces: "`<as>.rejects`: the rejected rows as they were, with `error`")

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    var declared: [(key: String, value: ColumnRule)] { configuration.columns?.entries ?? [] }

    /// The columns of the output, given the input's.
    func outputColumns(_ input: [Column]) -> [Column] {
        var cols = input
        for (name, rule) in declared {
            let type = rule.type ?? (cols.first { $0.isNamed(name) }?.type ?? .string)
            if let i = cols.firstIndex(where: { $0.isNamed(name) }) { cols[i].type = type } else { cols.append(Column(name, type)) }
        }
        if configuration.extraColumns == .drop {
            let names = Set(declared.map(\.key))
            cols = cols.filter { names.contains($0.name) }
        }
        return cols
    }

    public func check(_ context: inout StepCheckContext) {
        let input = context.input ?? .open
        for (name, rule) in declared {
            context.requireColumn(name, at: ["columns", name])
            if let p = rule.pattern, (try? Regex(p)) == nil {
                context.error("'\(p)' is not a valid regular expression", at: ["columns", name, "pattern"])
            }
            let type = rule.type ?? input.type(of: name) ?? .string
            for (key, bound) in [("min", rule.min), ("max", rule.max)] {
                guard let bound else { continue }
                if Bound(bound, type: type, parser: parser(for: rule)) == nil {
                    context.error("\(key) '\(bound)' does not fit a \(type) column", at: ["columns", name, key])
                }
            }
            if rule.format != nil && type != .date && type != .datetime {
                context.error("'format' applies to date columns only", at: ["columns", name, "format"])
            } else if let text = rule.format {
                do {
                    if try DateFormat(text).hasTime && type == .date {
                        context.error("date format '\(text)' has a time of day; use type: datetime, or leave the time out", at: ["columns", name, "format"])
                    }
                } catch {
                    context.error(error.description, at: ["columns", name, "format"])
                }
            }
        }
        let schema: Schema
        switch input {
        case let .known(cols): schema = .known(outputColumns(cols))
        case let .partial(cols): schema = configuration.extraColumns == .drop ? .known(outputColumns(cols)) : .partial(outputColumns(cols))
        case .open: schema = configuration.extraColumns == .drop ? .known(outputColumns([])) : .partial(outputColumns([]))
        }
        for (i, r) in (configuration.rules ?? []).enumerated() {
            if let t = context.check(r.rule, schema: schema), t != .bool, t != .any {
                context.error("rule \(i + 1) '\(r.rule.expression.source)' is \(t), not a condition", at: r.rule.location)
            }
        }
        if let t = configuration.rejects { context.check(t) }
        if let m = configuration.maxRejects, RejectLimit(parsing: m) == nil {
            context.error(RejectLimit.problem(m), at: ["max-rejects"])
        } else if configuration.maxRejects != nil && configuration.onInvalid == .failRun {
            context.error("max-rejects has no effect with on-invalid: fail-run (any bad row fails the run); remove one of them", at: ["max-rejects"])
        }
        context.output = schema
        context.extras["rejects"] = .partial(input.columns + [Column("error", .string)])
    }

    func parser(for rule: ColumnRule) -> ValueParser {
        ValueParser(decimalSeparator: configuration.decimalSeparator ?? .dot, dateFormat: rule.dateFormat)
    }

    /// A min or max bound, typed like the column.
    struct Bound {
        var value: Value
        init?(_ text: String, type: ColumnType, parser: ValueParser) {
            switch type {
            case .string: guard let n = Int64(text) else { return nil }; value = .integer(n)
            case .integer, .decimal, .any: guard let d = DecimalNumber(parsing: text) else { return nil }; value = .decimal(d)
            case .date: guard let d = LocalDate(iso: text) ?? parser.date(text) else { return nil }; value = .date(d)
            case .datetime: guard let d = LocalDateTime(iso: text) else { return nil }; value = .datetime(d)
            case .bool: return nil
            }
        }
    }

    struct CompiledColumn {
        var name: String
        var index: Int
        var rule: ColumnRule
        var type: ColumnType
        var parser: ValueParser
        var min: Value?
        var max: Value?
        var pattern: Regex<AnyRegexOutput>?
        var oneOf: Set<String>?
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let input = context.input
        let source = input.properties["source"] ?? context.inputFiles.first?.name
        // Columns declared but absent fail the run: the file is not what the pipeline expects.
        var missing: [String] = []
        for (name, _) in declared where input.columnIndex(name) == nil { missing.append(name) }
        if !missing.isEmpty {
            let hints = missing.map { "'\($0)'\(Suggestion.didYouMean($0, among: input.columnNames))" }.joined(separator: ", ")
            let has = input.columns.isEmpty ? "the file has no columns (no header line)" : "the file has: \(input.columnNames.joined(separator: ", "))"
            throw StepError(.badInput, "missing column\(missing.count > 1 ? "s" : "") \(hints); \(has)",
                            file: source, place: "header", hint: "fix the header of the file (or the manifest), then reprocess")
        }
        let names = Set(declared.map(\.key))
        let extras = input.columns.filter { !names.contains($0.name) }.map(\.name)
        if configuration.extraColumns == .reject && !extras.isEmpty {
            throw StepError(.badInput, "unexpected column\(extras.count > 1 ? "s" : "") \(extras.map { "'\($0)'" }.joined(separator: ", ")) (extra-columns: reject)",
                            file: source, place: "header", hint: "remove them from the file or declare them in the validate step")
        }
        var compiled: [CompiledColumn] = []
        for (name, rule) in declared {
            let index = input.columnIndex(name)!
            let type = rule.type ?? input.columns[index].type
            let p = parser(for: rule)
            compiled.append(CompiledColumn(
                name: name, index: index, rule: rule, type: type == .any ? .string : type, parser: p,
                min: rule.min.flatMap { Bound($0, type: type, parser: p)?.value }, max: rule.max.flatMap { Bound($0, type: type, parser: p)?.value },
                pattern: try rule.pattern.map { try Regex($0) }, oneOf: rule.oneOf.map(Set.init)))
        }
        var outColumns = input.columns
        for c in compiled { outColumns[c.index].type = c.type }
        var bound: [(RowRule, BoundExpression)] = []
        for r in configuration.rules ?? [] {
            do { bound.append((r, try r.rule.expression.bind(columns: outColumns))) } catch {
                throw StepError(.badInput, "rule '\(r.rule.expression.source)': \(error.message)", file: source)
            }
        }
        var valid: [[Value]] = []
        valid.reserveCapacity(input.rows.count)
        var rejected: [(row: Int, values: [Value], error: String)] = []
        var seen: [Int: [Value: Int]] = [:]
        var validRows: [Int] = []
        for (n, original) in input.rows.enumerated() {
            var row = original
            var problems: [String] = []
            for c in compiled {
                let v = original[c.index]
                let blank: Bool = { if case let .string(s) = v { return s.trimmedSpaces.isEmpty }; return v.isNull }()
                if blank {
                    if c.rule.required == true { problems.append("\(c.name) is required") }
                    row[c.index] = .null
                    continue
                }
                guard let typed = c.parser.convert(v, to: c.type) else {
                    problems.append("\(c.name): '\(v)' is not \(article(c.type))\(hint(for: v, c))")
                    continue
                }
                row[c.index] = typed
                if let problem = checkBounds(typed, c) { problems.append(problem) }
                if let pattern = c.pattern, (try? pattern.wholeMatch(in: typed.description)) == nil {
                    problems.append("\(c.name): '\(typed)' does not match \(c.rule.pattern!)")
                }
                if let allowed = c.oneOf, !allowed.contains(typed.description) {
                    problems.append("\(c.name): '\(typed)' is not one of \(c.rule.oneOf!.joined(separator: ", "))")
                }
                if c.rule.unique == true {
                    if let first = seen[c.index]?[typed] {
                        problems.append("\(c.name): '\(typed)' already appears in row \(first)")
                    } else {
                        seen[c.index, default: [:]][typed] = input.rowNumber(n)
                    }
                }
            }
            if problems.isEmpty {
                for (r, expression) in bound {
                    do {
                        if try !expression.isTrue(row) { problems.append(r.message ?? "rule failed: \(r.rule.expression.source)") }
                    } catch {
                        problems.append("rule '\(r.rule.expression.source)': \(error.message)")
                    }
                }
            }
            if problems.isEmpty { valid.append(row); validRows.append(n) } else { rejected.append((input.rowNumber(n), original, problems.joined(separator: "; "))) }
        }
        var out = Dataset(columns: outColumns, rows: valid, files: input.files, properties: input.properties, rowNumbers: input.numbersOfRows(validRows))
        if configuration.extraColumns == .drop {
            let keep = out.columns.indices.filter { names.contains(out.columns[$0].name) }
            out.columns = keep.map { out.columns[$0] }
            out.rows = out.rows.map { r in keep.map { r[$0] } }
        }
        var rejects = Dataset(columns: input.columns.map { Column($0.name, $0.type) } + [Column("error", .string)], properties: input.properties)
        rejects.rows = rejected.map { $0.values + [.string("row \($0.row): " + $0.error)] }
        rejects.rowNumbers = rejected.map(\.row)
        var outputs: [AttachedFile] = []
        if !rejected.isEmpty {
            outputs.append(try RejectsWriter.write(rejects, context: context, name: configuration.rejects))
        }
        let summary: [String: Value] = ["valid": .integer(Int64(valid.count)), "rejected": .integer(Int64(rejected.count))]
        if configuration.onInvalid != .failRun, let error = RejectLimit.failure(
            limit: configuration.rejectLimit, rejected: rejected.map { ($0.row, $0.error) }, total: input.rows.count,
            source: source, rejectsFile: outputs.first) {
            throw error
        }
        if !rejected.isEmpty && configuration.onInvalid == .failRun {
            let first = rejected.prefix(3).map { "row \($0.row): \($0.error)" }.joined(separator: " | ")
            var error = StepError(.validation, "\(rejected.count) of \(input.rows.count) rows failed validation (on-invalid: fail-run): \(first)\(rejected.count > 3 ? " | …" : "")",
                                  file: source, place: "row \(rejected[0].row)", rows: rejected.map(\.row),
                                  hint: "the rejects file \(outputs.first?.name ?? "") lists every bad row with its reason")
            error.outputs = outputs
            throw error
        }
        return StepOutput(dataset: out, extras: ["rejects": rejects], outputs: outputs, summary: summary)
    }

    func checkBounds(_ v: Value, _ c: CompiledColumn) -> String? {
        let measured: Value = { if case let .string(s) = v { return .integer(Int64(s.count)) }; return v }()
        let what = { if case .string = v { return "\(c.name) length" }; return c.name }()
        if let min = c.min, Value.order(measured, min) < 0 { return "\(what) \(measured) is below the minimum \(min)" }
        if let max = c.max, Value.order(measured, max) > 0 { return "\(what) \(measured) is above the maximum \(max)" }
        return nil
    }

    func article(_ t: ColumnType) -> String {
        switch t {
        case .integer: "a whole number"
        case .decimal: "a number"
        case .date: "a date"
        case .datetime: "a date and time"
        case .bool: "yes/no (true or false)"
        default: "text"
        }
    }

    func hint(for v: Value, _ c: CompiledColumn) -> String {
        let s = v.description
        if c.type == .decimal && c.parser.decimalSeparator == .dot && s.contains(",") && !s.contains(".") {
            return " (to read decimal commas, set decimal-separator: ',')"
        }
        if c.type == .decimal && s.range(of: #"^[+-]?[0-9.,]+[eE][+-]?[0-9]+$"#, options: .regularExpression) != nil {
            return " (exponents such as 1e3 are not read)"
        }
        let numberLike = s.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || WrittenNumber.groupingCharacters.contains($0) || ".,-+%".unicodeScalars.contains($0) }
        if (c.type == .decimal || c.type == .integer) && numberLike && s.unicodeScalars.contains(where: { WrittenNumber.groupingCharacters.contains($0) }) {
            return " (digits are grouped by three: 1 234 567)"
        }
        if let f = c.parser.dateFormat, c.type == .date || c.type == .datetime { return " in the format \(f)" }
        if c.type == .date { return " (expected yyyy-MM-dd or dd.MM.yyyy; set format: for others)" }
        return ""
    }
}
