import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

/// Without `by`, `aggregate` answers for the whole input, also when it has no rows.
@Suite struct AggregateEmptyTests {
    @Test func totalsOverNoRowsAreZerosAndEmpties() throws {
        let h = try PipelineHarness()
        try h.pipeline("a", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - validate:
              columns:
                M: { type: decimal }
                Q: { type: integer }
          - filter: M > 100
          - aggregate: { sum: [M, Q], avg: [M], min: [M], max: [Q], count: n }
        load:
          - csv: { file: out.csv }
        """)
        try h.drop("a", "a.csv", "M,Q\n1.50,2\n3,4\n")
        let r = try h.runner.runBatch()
        #expect(r.runs[0].status == .succeeded, "\(String(describing: r.runs[0].failure))")
        #expect(h.outbox("a", "out.csv") == "M,Q,M_avg,M_min,Q_max,n\r\n0,0,,,,0\r\n")
    }

    @Test func groupsOverNoRowsAreNoRows() throws {
        let h = try PipelineHarness()
        try h.pipeline("g", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - filter: M > 100
          - aggregate: { by: [P], sum: [M] }
        load:
          - csv: { file: out.csv }
        """)
        try h.drop("g", "g.csv", "P,M\na,1\n")
        _ = try h.runner.runBatch()
        #expect(h.outbox("g", "out.csv") == "P,M\r\n")
    }
}
