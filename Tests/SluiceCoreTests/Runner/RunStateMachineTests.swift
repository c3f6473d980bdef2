import Foundation
import Testing
@testable import SluiceCore

@Suite struct RunStateMachineTests {
    func run(_ change: (inout RunRecord) -> Void = { _ in }) -> RunRecord {
        var r = RunRecord(id: "r1", pipeline: "p", trigger: "inbox", now: Date(timeIntervalSince1970: 0), runDate: "2026-11-21",
                          runTime: "2026-11-21T08:00:00", manifestHash: "h", inputs: [])
        change(&r)
        return r
    }

    let all: [StageName] = [.extract, .transform, .load, .notify]

    @Test func aFreshClaimMovesItsInputFirst() {
        #expect(RunStateMachine.next(run(), stages: all) == .claimInput)
    }

    @Test func stagesRunInOrderAndOutputsArePublishedBeforeNotify() {
        var r = run { $0.phase = .stages }
        #expect(RunStateMachine.next(r, stages: all) == .runStage(index: 0))
        r.completedStages = ["extract", "transform", "load"]
        #expect(RunStateMachine.next(r, stages: all) == .publish)
        r.publishedStages = 3
        #expect(RunStateMachine.next(r, stages: all) == .runStage(index: 3))
        r.completedStages.append("notify")
        #expect(RunStateMachine.next(r, stages: all) == .publish)
        r.publishedStages = 4
        #expect(RunStateMachine.next(r, stages: all) == .archive)
        r.phase = .archiving
        #expect(RunStateMachine.next(r, stages: all) == .complete)
        r.phase = .done
        r.status = .succeeded
        #expect(RunStateMachine.next(r, stages: all) == .none)
    }

    @Test func withoutNotifyPublishComesAfterLoad() {
        var r = run { $0.phase = .stages; $0.completedStages = ["extract", "load"] }
        #expect(RunStateMachine.next(r, stages: [.extract, .load]) == .publish)
        r.publishedStages = 2
        #expect(RunStateMachine.next(r, stages: [.extract, .load]) == .archive)
    }

    @Test func aFailurePublishesRejectsThenArchives() {
        var r = run {
            $0.phase = .stages
            $0.completedStages = ["extract"]
            $0.failure = RunFailure(stage: "transform", step: "transform[0].validate", message: "bad", file: nil, place: nil, rows: [], hint: nil, transient: false)
        }
        #expect(RunStateMachine.next(r, stages: all) == .publish)
        r.published = true
        #expect(RunStateMachine.next(r, stages: all) == .archive)
    }

    @Test func aDuplicateGoesStraightToTheArchive() {
        let r = run { $0.phase = .stages; $0.duplicateOf = "r0" }
        #expect(RunStateMachine.next(r, stages: all) == .archive)
    }
}

@Suite struct DatasetUseTests {
    @Test func countsWholeWordsOnly() {
        let text = "as: ventes\n- csv: { file: \"ventes_du_jour.csv\" }\n  from: ventes-2\nwhen: ventes.rows > 0 # ventes"
        #expect(DatasetUse.occurrences(of: "ventes", in: text) == 3)
        #expect(DatasetUse.occurrences(of: "totaux", in: "as: totaux") == 1)
        #expect(DatasetUse.occurrences(of: "é", in: "café é") == 1)
    }
}
