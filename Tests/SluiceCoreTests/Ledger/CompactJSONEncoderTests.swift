import Foundation
import SluiceCore
import Testing

@Suite struct CompactJSONEncoderTests {
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }()

    static let foundation: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }()

    func fullRecord() -> RunRecord {
        var run = RunRecord(id: "20261121-070000-abcdef", pipeline: "ventes", trigger: "inbox",
                            now: Date(timeIntervalSince1970: 1_763_708_400.1234), runDate: "2026-11-21", runTime: "2026-11-21T07:00:00",
                            manifestHash: "h", inputs: [RunInput(name: "été \"q\"\n\t\\ \u{1}.csv", sha256: "ab", size: 12, origin: "inbox/ventes/x")])
        run.status = .failed
        run.phase = .archiving
        run.finishedAt = Date(timeIntervalSince1970: 1_763_708_401.5)
        run.completedStages = ["extract", "transform"]
        let reports = #"[{"stage": "extract", "milliseconds": 3, "datasets": {"ventes": 20, "vide": 0}, "steps": [{"id": "extract[0].csv", "skipped": false, "rows": 20, "milliseconds": 2, "summary": {"delimiter": ";", "encoding": "utf-8"}}, {"id": "extract[1].csv", "skipped": true, "milliseconds": 0, "summary": {}}]}]"#
        run.stageReports = try! Self.decoder.decode([StageReport].self, from: Data(reports.utf8))
        let outputs = #"[{"name": "totaux.csv", "path": "outbox/ventes/totaux.csv", "size": 9223372036854775807, "sha256": "", "step": "load[0].csv"}]"#
        run.outputs = try! Self.decoder.decode([PublishedOutput].self, from: Data(outputs.utf8))
        run.failure = RunFailure(stage: "transform", step: "transform[0].validate", message: "row 4: Produit is required", file: "v.csv",
                                 place: "row 4", rows: [4, 5], hint: nil, transient: false)
        run.parameters = ["mois": "2026-11", "vide": ""]
        run.corrects = "earlier"
        return run
    }

    @Test func aRunRecordReadsBackEqual() throws {
        let run = fullRecord()
        let bytes = try CompactJSONEncoder.encode(run)
        #expect(try Self.decoder.decode(RunRecord.self, from: Data(bytes)) == run)
    }

    @Test func theSameJSONAsFoundationsEncoderUpToKeyOrder() throws {
        let run = fullRecord()
        let ours = try JSONSerialization.jsonObject(with: Data(try CompactJSONEncoder.encode(run))) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: try Self.foundation.encode(run)) as? NSDictionary
        #expect(ours != nil && ours == theirs)
    }

    @Test func nilOptionalsAreLeftOutAndEmptyContainersStayEmpty() throws {
        struct Sample: Encodable { var a: Int?; var b: [Int]; var c: [String: String]; var d: Double }
        let text = String(decoding: try CompactJSONEncoder.encode(Sample(a: nil, b: [], c: [:], d: 2.5)), as: UTF8.self)
        #expect(text == #"{"b":[],"c":{},"d":2.5}"#)
    }

    @Test func nestedContainersCloseInOrder() throws {
        struct Custom: Encodable {
            enum K: String, CodingKey { case inner, list, after }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                var inner = c.nestedContainer(keyedBy: K.self, forKey: .inner)
                try inner.encode(1, forKey: .after)
                var list = c.nestedUnkeyedContainer(forKey: .list)
                try list.encode("x")
                var deeper = list.nestedUnkeyedContainer()
                try deeper.encode(true)
                try c.encode("end", forKey: .after)
            }
        }
        let text = String(decoding: try CompactJSONEncoder.encode([Custom(), Custom()]), as: UTF8.self)
        #expect(text == #"[{"inner":{"after":1},"list":["x",[true]],"after":"end"},{"inner":{"after":1},"list":["x",[true]],"after":"end"}]"#)
    }

    @Test func nonFiniteNumbersAreAnError() {
        #expect(throws: EncodingError.self) { try CompactJSONEncoder.encode([Double.nan]) }
    }
}
