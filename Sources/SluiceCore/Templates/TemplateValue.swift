/// What a template is rendered with: scalars, objects (name → value) and lists.
///
/// Literals build contexts tersely: `["run": ["date": "2026-11-01"], "rows": 3]`.
public indirect enum TemplateValue: Sendable, Hashable {
    /// A scalar, rendered with `Value.description` (decimals keep their scale, null is empty).
    case value(Value)
    case object([String: TemplateValue])
    case list([TemplateValue])

    /// Mustache falsiness: missing names, null, false, empty text and empty lists skip a
    /// section (and show an inverted one). Everything else, 0 included, is truthy.
    var isFalsy: Bool {
        switch self {
        case .value(.null), .value(.bool(false)), .value(.string("")), .list([]): true
        default: false
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .value(.string(value)) }
    public init(integerLiteral value: Int64) { self = .value(.integer(value)) }
    public init(booleanLiteral value: Bool) { self = .value(.bool(value)) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .value(.null) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
