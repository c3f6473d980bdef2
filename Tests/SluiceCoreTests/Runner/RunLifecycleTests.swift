import Foundation
import Testing
@testable import SluiceCore

/// The run lifecycle on its own: every state against every event, the illegal pairs included.
@Suite struct RunLifecycleTests {
    static let failure = RunFailure(stage: "transform", step: "transform[0].validate", message: "bad rows", file: "a.csv",
                                    place: nil, rows: [2], hint: nil, transient: false)
    static let cancel = RunFailure(stage: "wait", step: "-", message: "cancelled", file: nil, place: nil, rows: [], hint: nil, transient: false)
    static let wake = Date(timeIntervalSince1970: 1_800_000_000)

    /// extract, transform, load, notify; with `on-failure` steps.
    static let lifecycle = RunLifecycle(stages: [.extract, .transform, .load, .notify], notifiesFailure: true)

    static let states: [RunState] = [
        .claimed, .stage(0), .stage(1), .stage(2), .stage(3), .publishing(then: 3), .publishing(then: nil),
        .waiting(until: wake, reason: .retry, stage: 1), .waiting(until: wake, reason: .wait, stage: 3),
        .failed(failure, .publishRejects), .failed(failure, .notify), .archiving, .completing, .done,
    ]

    static let events: [RunEvent] = [
        .inputClaimed(.process), .inputClaimed(.duplicate), .inputClaimed(.refused(failure)),
        .stageCommitted(0), .stageCommitted(1), .stageCommitted(2), .stageCommitted(3),
        .stepFailed(failure, retry: .giveUp), .stepFailed(failure, retry: .retry(at: wake)), .parked(until: wake),
        .woken, .published, .failureNotified, .archived, .completed, .givenUp(cancel), .stopRequested,
    ]

    /// Every legal transition of `lifecycle`, with the state it leads to and the actions that follow.
    static let legal: [(RunState, RunEvent, RunState, [RunAction])] = {
        var rows: [(RunState, RunEvent, RunState, [RunAction])] = [
            (.claimed, .inputClaimed(.process), .stage(0), [.runStage(index: 0)]),
            (.claimed, .inputClaimed(.duplicate), .archiving, [.archive]),
            (.claimed, .inputClaimed(.refused(failure)), .failed(failure, .publishRejects), [.publish]),
            (.stage(0), .stageCommitted(0), .stage(1), [.runStage(index: 1)]),
            (.stage(1), .stageCommitted(1), .stage(2), [.runStage(index: 2)]),
            // Outputs are published before notify, and after the last stage.
            (.stage(2), .stageCommitted(2), .publishing(then: 3), [.publish]),
            (.stage(3), .stageCommitted(3), .publishing(then: nil), [.publish]),
            (.publishing(then: 3), .published, .stage(3), [.runStage(index: 3)]),
            (.publishing(then: nil), .published, .archiving, [.archive]),
            (.waiting(until: wake, reason: .retry, stage: 1), .woken, .stage(1), [.runStage(index: 1)]),
            (.waiting(until: wake, reason: .wait, stage: 3), .woken, .stage(3), [.runStage(index: 3)]),
            (.waiting(until: wake, reason: .retry, stage: 1), .givenUp(cancel), .failed(cancel, .publishRejects), [.publish]),
            (.waiting(until: wake, reason: .wait, stage: 3), .givenUp(cancel), .failed(cancel, .publishRejects), [.publish]),
            (.failed(failure, .publishRejects), .published, .failed(failure, .notify), [.notifyFailure]),
            (.failed(failure, .notify), .failureNotified, .archiving, [.archive]),
            (.archiving, .archived, .completing, [.complete]),
            (.archiving, .givenUp(cancel), .failed(cancel, .publishRejects), [.publish]),
            (.completing, .completed, .done, []),
        ]
        for n in 0 ... 3 {
            rows.append((.stage(n), .stepFailed(failure, retry: .giveUp), .failed(failure, .publishRejects), [.publish]))
            rows.append((.stage(n), .stepFailed(failure, retry: .retry(at: wake)), .waiting(until: wake, reason: .retry, stage: n), []))
            rows.append((.stage(n), .parked(until: wake), .waiting(until: wake, reason: .wait, stage: n), []))
            rows.append((.stage(n), .givenUp(cancel), .failed(cancel, .publishRejects), [.publish]))
        }
        for then in [3, nil] as [Int?] {
            rows.append((.publishing(then: then), .givenUp(cancel), .failed(cancel, .publishRejects), [.publish]))
        }
        // A clean stop stays where it is, between two checkpoints.
        for state in states where state.isAtCheckpoint {
            rows.append((state, .stopRequested, state, [.stop]))
        }
        return rows
    }()

    struct Pair: CustomTestStringConvertible, Sendable {
        var state: RunState
        var event: RunEvent
        var testDescription: String { "\(state) × \(event)" }
    }

    static let pairs: [Pair] = states.flatMap { s in events.map { Pair(state: s, event: $0) } }

    @Test("every state × every event: the legal ones lead where the table says, the others are refused", arguments: pairs)
    func everyPair(_ pair: Pair) {
        let expected = Self.legal.first { $0.0 == pair.state && $0.1 == pair.event }
        do {
            let (next, actions) = try Self.lifecycle.transition(pair.state, pair.event)
            #expect(expected != nil, "\(pair.testDescription) should be refused, went to \(next)")
            if let expected {
                #expect(next == expected.2)
                #expect(actions == expected.3)
            }
        } catch {
            #expect(expected == nil, "\(pair.testDescription) should go to \(String(describing: expected?.2))")
            #expect(error.state == pair.state && error.event == pair.event)
        }
    }

    @Test func everyLegalRowIsOfTheTable() {
        for row in Self.legal {
            #expect(Self.states.contains(row.0) && Self.events.contains(row.1), "\(row.0) × \(row.1)")
        }
    }

    @Test func theActionsOfAStateAreWhatEnteringItAsksFor() {
        for row in Self.legal where row.1 != .stopRequested {
            #expect(Self.lifecycle.actions(in: row.2) == row.3)
        }
    }

    @Test func withoutOnFailureStepsAFailedRunIsArchivedOnceItsRejectsArePublished() throws {
        let plain = RunLifecycle(stages: [.extract, .load])
        #expect(try plain.transition(.failed(Self.failure, .publishRejects), .published).0 == .archiving)
        #expect(throws: RunLifecycle.IllegalTransition.self) { try plain.transition(.failed(Self.failure, .publishRejects), .failureNotified) }
    }

    @Test func withoutNotifyOutputsArePublishedAfterTheLastStage() throws {
        let plain = RunLifecycle(stages: [.extract, .load])
        #expect(try plain.transition(.stage(0), .stageCommitted(0)).0 == .stage(1))
        #expect(try plain.transition(.stage(1), .stageCommitted(1)).0 == .publishing(then: nil))
    }

    @Test func aPipelineWithoutStepsGoesFromItsClaimToTheArchive() throws {
        #expect(try RunLifecycle(stages: []).transition(.claimed, .inputClaimed(.process)).0 == .archiving)
    }

    @Test func aNotifyOnlyPipelineRunsItsStageAtOnce() throws {
        #expect(try RunLifecycle(stages: [.notify]).transition(.claimed, .inputClaimed(.process)).0 == .stage(0))
    }

    @Test func aWholeSuccessfulRunFromClaimToDone() throws {
        var state = RunState.claimed
        var actions: [RunAction] = []
        for event: RunEvent in [.inputClaimed(.process), .stageCommitted(0), .stageCommitted(1), .stageCommitted(2),
                                .published, .stageCommitted(3), .published, .archived, .completed] {
            let step = try Self.lifecycle.transition(state, event)
            state = step.0
            actions += step.1
        }
        #expect(state == .done)
        #expect(actions == [.runStage(index: 0), .runStage(index: 1), .runStage(index: 2), .publish, .runStage(index: 3), .publish, .archive, .complete])
    }
}

/// Reading the state of a record that has none stored (written before states were).
@Suite struct RunStateDerivationTests {
    func run(_ change: (inout RunRecord) -> Void = { _ in }) -> RunRecord {
        var r = RunRecord(id: "r1", pipeline: "p", trigger: "inbox", now: Date(timeIntervalSince1970: 0), runDate: "2026-11-21",
                          runTime: "2026-11-21T08:00:00", manifestHash: "h", inputs: [])
        change(&r)
        return r
    }

    let lifecycle = RunLifecycle(stages: [.extract, .transform, .load, .notify], notifiesFailure: true)

    @Test func fieldsOfEveryPhaseReadAsTheirState() {
        let failure = RunLifecycleTests.failure
        let wake = RunLifecycleTests.wake
        #expect(lifecycle.state(of: run()) == .claimed)
        #expect(lifecycle.state(of: run { $0.phase = .stages }) == .stage(0))
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.completedStages = ["extract", "transform", "load"] }) == .publishing(then: 3))
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.completedStages = ["extract", "transform", "load"]; $0.publishedStages = 3 }) == .stage(3))
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.completedStages = ["extract", "transform", "load", "notify"]; $0.publishedStages = 3 })
                == .publishing(then: nil))
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.completedStages = ["extract", "transform", "load", "notify"]; $0.publishedStages = 4 })
                == .archiving)
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.status = .waiting; $0.wakeAt = wake; $0.waitingFor = "wait"; $0.completedStages = ["extract"] })
                == .waiting(until: wake, reason: .wait, stage: 1))
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.failure = failure }) == .failed(failure, .publishRejects))
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.failure = failure; $0.published = true }) == .failed(failure, .notify))
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.failure = failure; $0.published = true; $0.failureNotified = true }) == .archiving)
        #expect(lifecycle.state(of: run { $0.phase = .stages; $0.duplicateOf = "r0" }) == .archiving)
        #expect(lifecycle.state(of: run { $0.phase = .archiving }) == .completing)
        #expect(lifecycle.state(of: run { $0.phase = .done; $0.status = .succeeded }) == .done)
    }

    @Test func aStoredStateIsUsedWhileTheFieldsAgreeWithIt() {
        var r = run { $0.phase = .stages; $0.completedStages = ["extract"] }
        r.state = .stage(1)
        #expect(lifecycle.current(r) == .stage(1))
        // Changed by other code (a tool, an older sluice): the fields win.
        r.phase = .done
        #expect(lifecycle.current(r) == .done)
        r.state = nil
        r.phase = .claiming
        #expect(lifecycle.current(r) == .claimed)
    }

    @Test func aStateIsWrittenAsOneFlatObjectAndReadBack() throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        for state in RunLifecycleTests.states {
            let bytes = try CompactJSONEncoder.encode(state)
            #expect(try decoder.decode(RunState.self, from: Data(bytes)) == state, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(String(decoding: try CompactJSONEncoder.encode(RunState.stage(2)), as: UTF8.self) == #"{"name":"stage","stage":2}"#)
    }
}
