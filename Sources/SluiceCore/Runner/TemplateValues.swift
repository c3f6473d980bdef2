/// The values templates and `when:` conditions see.
///
/// ```
/// run.id  run.pipeline  run.date  run.time  run.trigger  run.inputs  run.attempt
/// run.error.message .stage .step .file .place .hint    in `on-failure` steps
/// input.name  input.stem  input.extension            the first input file
/// inputs[].name .sha256 .size
/// rows.count                                          rows of the step's input dataset
/// <dataset>.rows  <dataset>.columns  <dataset>.items[] (first 1000 rows, by column name)
/// <dataset>.<column>.sum .min .max .avg .count        per column (sum/avg for numbers)
/// <dataset>.<extra>...                                e.g. changes.inserted.rows
/// outputs[].name                                      outputs published so far
/// ```
enum TemplateValues {
    static let itemLimit = 1000

    /// - Parameter mentioning: a template's text; datasets whose name it does not contain are left out.
    static func make(run: RunInfo, inputs: [RunInput], env: StageEnvironment, current: String?, mentioning text: String? = nil) -> TemplateValue {
        var root: [String: TemplateValue] = [:]
        root["run"] = .object(runObject(run, inputs: inputs))
        if let first = inputs.first {
            let parts = first.name.split(separator: ".", omittingEmptySubsequences: false)
            let stem = parts.count > 1 ? parts.dropLast().joined(separator: ".") : first.name
            root["input"] = .object([
                "name": .value(.string(first.name)), "stem": .value(.string(stem)),
                "extension": .value(.string(parts.count > 1 ? String(parts.last!) : "")),
            ])
        }
        root["inputs"] = .list(inputs.map {
            .object(["name": .value(.string($0.name)), "sha256": .value(.string($0.sha256)), "size": .value(.integer($0.size))])
        })
        root["outputs"] = .list(env.outputs.map { .object(["name": .value(.string($0.name))]) })
        var datasets: [String: [String: TemplateValue]] = [:]
        for name in env.order {
            if let text, !text.contains(String(name.split(separator: ".").first ?? "")) { continue }
            let summary = summaryObject(env.datasets[name]!)
            let parts = name.split(separator: ".").map(String.init)
            if parts.count == 1 {
                datasets[name, default: [:]].merge(summary) { _, new in new }
            } else {
                var parent = datasets[parts[0], default: [:]]
                parent[parts.dropFirst().joined(separator: ".")] = .object(summary)
                datasets[parts[0]] = parent
            }
        }
        for (k, v) in datasets where root[k] == nil { root[k] = .object(v) }
        if let current, let d = env.datasets[current] {
            root["rows"] = .object(["count": .value(.integer(Int64(d.rows.count)))])
            if text?.contains("dataset") ?? true { root["dataset"] = .object(summaryObject(d)) }
        } else {
            root["rows"] = .object(["count": .value(.integer(0))])
        }
        return .object(root)
    }

    static func runObject(_ run: RunInfo, inputs: [RunInput]) -> [String: TemplateValue] {
        var object = baseRunObject(run, inputs: inputs)
        object["attempt"] = .value(.integer(Int64(run.attempt)))
        if let f = run.failure {
            var error: [String: TemplateValue] = ["message": .value(.string(f.message)), "stage": .value(.string(f.stage)),
                                                  "step": .value(.string(f.step))]
            for (k, v) in [("file", f.file), ("place", f.place), ("hint", f.hint)] { if let v { error[k] = .value(.string(v)) } }
            object["error"] = .object(error)
        }
        return object
    }

    static func baseRunObject(_ run: RunInfo, inputs: [RunInput]) -> [String: TemplateValue] {
        [
            "id": .value(.string(run.id)), "pipeline": .value(.string(run.pipeline)), "date": .value(.date(run.date)),
            "time": .value(.datetime(run.time)), "trigger": .value(.string(run.trigger)),
            "inputs": .value(.integer(Int64(inputs.count))),
            "params": nestedParameters(run.parameters),
            "locale": .value(.string(run.locale ?? TemplateFormatting.machineLocaleName)),
        ]
    }

    /// Parameters as an object; dotted names nest (`imap.uid` is `{{run.params.imap.uid}}`).
    static func nestedParameters(_ parameters: [String: String]) -> TemplateValue {
        var root: [String: TemplateValue] = [:]
        func insert(_ path: ArraySlice<String>, _ value: String, into object: inout [String: TemplateValue]) {
            guard let first = path.first else { return }
            if path.count == 1 { if object[first] == nil { object[first] = .value(.string(value)) }; return }
            var inner: [String: TemplateValue] = [:]
            if case let .object(existing)? = object[first] { inner = existing }
            insert(path.dropFirst(), value, into: &inner)
            object[first] = .object(inner)
        }
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            insert(ArraySlice(name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)), value, into: &root)
        }
        return .object(root)
    }

    static func summaryObject(_ d: Dataset) -> [String: TemplateValue] {
        var o: [String: TemplateValue] = [
            "rows": .value(.integer(Int64(d.rows.count))),
            "count": .value(.integer(Int64(d.rows.count))),
            "columns": .list(d.columns.map { .value(.string($0.name)) }),
            "items": .list(d.rows.prefix(itemLimit).map { row in
                var item: [String: TemplateValue] = [:]
                for (i, c) in d.columns.enumerated() { item[c.name] = .value(row[i]) }
                return .object(item)
            }),
        ]
        for (i, c) in d.columns.enumerated() where o[c.name] == nil {
            o[c.name] = .object(columnFigures(d, i).mapValues { .value($0) })
        }
        return o
    }

    /// sum, min, max, avg, count of one column; nulls are left out.
    static func columnFigures(_ d: Dataset, _ i: Int) -> [String: Value] {
        var count: Int64 = 0
        var minV: Value = .null
        var maxV: Value = .null
        var sum = DecimalNumber(0)
        var numeric = true
        var sumInteger = true
        for row in d.rows {
            let v = row[i]
            if v.isNull { continue }
            count += 1
            if minV.isNull || Value.order(v, minV) < 0 { minV = v }
            if maxV.isNull || Value.order(v, maxV) > 0 { maxV = v }
            if numeric, let x = v.decimalValue {
                if case .decimal = v { sumInteger = false }
                sum = (try? DecimalNumber.add(sum, x)) ?? sum
            } else {
                numeric = false
            }
        }
        var f: [String: Value] = ["count": .integer(count), "min": minV, "max": maxV]
        if numeric && count > 0 {
            f["sum"] = sumInteger ? .integer(sum.significand) : .decimal(sum)
            f["avg"] = (try? DecimalNumber.divide(sum, DecimalNumber(count))).map { .decimal($0) } ?? .null
        } else if numeric {
            f["sum"] = .integer(0)
            f["avg"] = .null
        }
        return f
    }

    /// Flat dotted names for `when:` expressions.
    static func whenVariables(run: RunInfo, env: StageEnvironment) -> [String: Value] {
        var v: [String: Value] = [
            "run.id": .string(run.id), "run.pipeline": .string(run.pipeline), "run.date": .date(run.date),
            "run.time": .datetime(run.time), "run.trigger": .string(run.trigger),
        ]
        for name in env.order {
            let d = env.datasets[name]!
            v[name + ".rows"] = .integer(Int64(d.rows.count))
            v[name + ".count"] = .integer(Int64(d.rows.count))
            for (i, c) in d.columns.enumerated() {
                for (figure, value) in columnFigures(d, i) { v[name + "." + c.name + "." + figure] = value }
            }
        }
        return v
    }
}
