import Foundation

extension Runner {
    /// Moves the inputs to `archive/<pipeline>/<date>/<run>/` and writes `run.json` (and
    /// `error.json` for a failed run). Idempotent.
    func archive(_ start: RunRecord, _ lifecycle: RunLifecycle) throws -> RunRecord {
        var run = start
        let directory = archiveDirectory(run)
        try FileOperations.makeDirectory(directory)
        for input in run.inputs {
            let source = inputPath(run, input.name)
            if FileOperations.exists(source) || isLink(source) {
                // The archive folder is fsynced once, with run.json below.
                try FileOperations.move(source, to: directory + "/" + input.name, sync: false)
            }
            crashPoints.reached("mid-archive")
        }
        run.archivePath = workspace.relative(directory)
        run.status = run.duplicateOf != nil ? .duplicate : (run.failure != nil ? .failed : .succeeded)
        run.finishedAt = run.finishedAt ?? clock.now()
        if let failure = run.failure {
            try FileOperations.writeAtomically(try failure.errorJSON(reprocessing: run.id), to: directory + "/error.json", deferral: syncs)
        }
        try FileOperations.writeAtomically(Array(try prettyJSON(try RunDocument(run, ledger: ledger))), to: directory + "/run.json", deferral: syncs)
        crashPoints.reached("before-archive-commit")
        run.phase = .archiving
        advance(&run, .archived, lifecycle)
        // Completing follows at once and commits this; archiving again after a crash finds the
        // inputs already moved and writes run.json anew.
        return run
    }

    /// Finishes the run in the ledger, committing the states its steps staged, in one transaction.
    func complete(_ start: RunRecord, _ lifecycle: RunLifecycle) throws -> RunRecord {
        var run = start
        let states = run.status == .succeeded && run.hasStagedStates == true ? try stagedStates(run) : [:]
        try startFollowers(of: run)
        run.phase = .done
        advance(&run, .completed, lifecycle)
        run.updatedAt = clock.now()
        try ledger.complete(run, states: states)
        crashPoints.reached("after-complete")
        if group.isOpen { group.holdReport(run) } else { reportToSource(run) }
        return run
    }

    /// `archive/<pipeline>/<yyyy>/<mm>/<dd>/<run>/`, by the run's date.
    func archiveDirectory(_ run: RunRecord) -> String {
        workspace.archive(run.pipeline, date: LocalDate(iso: run.runDate) ?? LocalDate(daysSinceEpoch: 0), run: run.id)
    }
}
