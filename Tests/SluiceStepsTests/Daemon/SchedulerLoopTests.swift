import Foundation
import SluiceCore
import SluiceTesting
import Testing

/// The scheduler's thread: a poke makes it tick now (a dropped file is claimed), and it stops
/// when asked, after its current tick.
@Suite struct SchedulerLoopTests {
    @Test func aPokeTicksAndStopEndsTheLoop() async throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        load:
          - csv: { file: "out_{{input.stem}}.csv" }
        """)
        let d = h.daemon()
        let loop = SchedulerLoop(daemon: d)
        d.onWake = { loop.poke() }
        loop.start()
        try h.drop("ventes", "a.csv", "x\n1\n")
        d.noteChanges(inboxes: ["ventes"])
        loop.poke()
        let deadline = Date() + 20
        while try h.runs().first?.status != .succeeded && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20)) // polling for the outcome, with a deadline
        }
        #expect(try h.runs().first?.status == .succeeded)
        await loop.stop()
        await loop.stop() // a second stop returns at once
    }
}
