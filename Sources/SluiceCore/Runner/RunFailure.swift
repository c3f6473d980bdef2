import Foundation
import SluiceErrors

/// Why a run failed (or why its last attempt did): the one failure record, from the step's error
/// to the ledger, `archive/.../error.json`, `sluice show` and `run.json`'s `error`.
///
/// Built in one place, ``init(stage:step:_:)``, from a ``StepError`` or any error. Its JSON field
/// names are stable (fields are only added) and documented in docs/cli.md; a record written
/// before a field existed decodes with that field absent (`transient` false, `rows` empty).
public struct RunFailure: Sendable, Codable, Hashable {
    /// `extract`, `transform`, `load`, `notify`, or where else it failed (`claim`, `wait`, `after load`).
    public var stage: String
    /// The step's id (`transform[0].validate`), `inbox`, or `-`.
    public var step: String
    /// The kind of problem (``StepError/Code``: `badInput`, `validation`, `effectFailed`,
    /// `configuration`, `internal`); absent in records written before it was kept.
    public var code: String?
    public var message: String
    /// The input (or output) file the problem is about.
    public var file: String?
    /// Where in the file, in words: `line 14`, `row 7`, `cell B7`, `header`.
    public var place: String?
    /// The same place field by field (`file`, `line`, `column`, `row`, `byteOffset`, `sheet`,
    /// `part`, `cell`, `detail`), for programs; absent when nothing is known.
    public var location: InputPlace?
    /// Rows involved, numbered as in the input file (the header is row 1); at most 1,000.
    public var rows: [Int]
    public var hint: String?
    public var transient: Bool
    /// Seconds the other side asked to wait before trying again.
    public var retryAfter: Double?
    /// The lower-level error behind the message, as text (a format error of the file read), when
    /// it says more than the message.
    public var cause: String?
    /// Where Sluice threw it (`SluiceSteps/CSVExtractStep.swift:92`), for bug reports.
    public var thrownAt: String?
    /// The command that runs the input again after fixing (`sluice reprocess <run>`): in
    /// `error.json` and the run document, not in the ledger.
    public var reprocess: String?

    /// The rows a failure keeps, at most.
    public static let rowLimit = 1000

    /// A failure with its place in words (`file` and `place`, as `error.json` has them).
    public init(stage: String, step: String, message: String, file: String?, place: String?, rows: [Int], hint: String?, transient: Bool) {
        self.stage = stage
        self.step = step
        self.message = message
        self.file = file
        self.place = place
        self.rows = rows
        self.hint = hint
        self.transient = transient
        let known = InputPlace(file: file, within: place)
        location = known.isEmpty ? nil : known
    }

    /// The failure of `step` in `stage`, from what it threw: a ``StepError`` gives every field,
    /// another ``UserFacingError`` its code, message, place and cause, any other error its text.
    public init(stage: String, step: String, _ error: any Error) {
        switch error {
        case let e as StepError:
            self.init(stage: stage, step: step, message: e.message, at: e.place, rows: e.rows, hint: e.hint, transient: e.transient)
            code = e.code.description
            retryAfter = e.retryAfter
            cause = Self.text(of: e.cause, besides: e.message)
            thrownAt = e.thrownAt.description
        case let e as any UserFacingError:
            self.init(stage: stage, step: step, message: e.message, at: e.place, rows: [], hint: nil, transient: false)
            code = e.code.description
            cause = Self.text(of: e.cause, besides: e.message)
            thrownAt = e.thrownAt.description
        default:
            self.init(stage: stage, step: step, message: "\(error)", at: InputPlace(), rows: [], hint: nil, transient: false)
            code = StepError.Code.internal.description
        }
    }

    /// A failure Sluice itself records (a refused entry, a cancelled wait), at `place`.
    public init(stage: String, step: String, message: String, at place: InputPlace, rows: [Int] = [], hint: String?, transient: Bool) {
        self.init(stage: stage, step: step, message: message, file: place.file, place: place.withinFile,
                  rows: Array(rows.prefix(Self.rowLimit)), hint: hint, transient: transient)
        location = place.isEmpty ? nil : place
    }

    /// The place field by field: ``location``, or read from `file` and `place` of a record
    /// written before it was kept.
    public var inputPlace: InputPlace { location ?? InputPlace(file: file, within: place) }

    /// The record as `error.json` and the run document carry it: with the command to reprocess `run`.
    public func document(reprocessing run: String) -> RunFailure {
        var copy = self
        copy.reprocess = "sluice reprocess \(run)"
        return copy
    }

    /// `error.json`'s bytes for the failed `run`.
    public func errorJSON(reprocessing run: String) throws -> [UInt8] {
        Array(try prettyJSON(document(reprocessing: run)))
    }

    /// The cause as text, unless it only repeats `message` (a format error passed on as it was
    /// worded): error.json says each thing once.
    private static func text(of cause: (any Error)?, besides message: String) -> String? {
        guard let cause else { return nil }
        let text = (cause as? any UserFacingError)?.description ?? "\(cause)"
        return text.contains(message) ? nil : text
    }

    private enum CodingKeys: String, CodingKey {
        case stage, step, code, message, file, place, location, rows, hint, transient, retryAfter, cause, thrownAt, reprocess
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stage = try c.decode(String.self, forKey: .stage)
        step = try c.decode(String.self, forKey: .step)
        code = try c.decodeIfPresent(String.self, forKey: .code)
        message = try c.decode(String.self, forKey: .message)
        file = try c.decodeIfPresent(String.self, forKey: .file)
        place = try c.decodeIfPresent(String.self, forKey: .place)
        location = try c.decodeIfPresent(InputPlace.self, forKey: .location)
        rows = try c.decodeIfPresent([Int].self, forKey: .rows) ?? []
        hint = try c.decodeIfPresent(String.self, forKey: .hint)
        // error.json written before the records were one has no `transient`: it was never a retry.
        transient = try c.decodeIfPresent(Bool.self, forKey: .transient) ?? false
        retryAfter = try c.decodeIfPresent(Double.self, forKey: .retryAfter)
        cause = try c.decodeIfPresent(String.self, forKey: .cause)
        thrownAt = try c.decodeIfPresent(String.self, forKey: .thrownAt)
        reprocess = try c.decodeIfPresent(String.self, forKey: .reprocess)
    }
}
