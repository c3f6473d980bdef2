import Foundation

extension Runner {
    /// Claims one inbox file: hashes it and records the claim. The input moves into the
    /// run's work folder when the run is driven, after the claim is durable, so a crash never
    /// leaves a moved file without its ledger row.
    func claim(_ file: InboxScanner.Candidate, manifest: Manifest) throws -> RunRecord? {
        try ledger.storeManifest(hash: manifest.contentHash, source: manifest.source)
        let now = clock.now()
        let local = localTime(now, of: manifest)
        var sha = ""
        var size: Int64 = 0
        if file.refusal == nil {
            do { (sha, size) = try FileOperations.sha256(path: file.path) } catch {
                observer.notice("cannot read \(workspace.relative(file.path)): \(error); left in the inbox")
                return nil
            }
        }
        let input = RunInput(name: file.name, sha256: sha, size: size, origin: workspace.relative(file.path))
        var run = RunRecord(id: newRunID(), pipeline: manifest.name, trigger: "inbox", now: now,
                            runDate: local.date.description, runTime: local.description,
                            manifestHash: manifest.contentHash, inputs: [input])
        if let refusal = file.refusal {
            run.failure = RunFailure(stage: "claim", step: "inbox", message: refusal, file: file.name, place: nil, rows: [],
                                     hint: "the entry was moved to the archive untouched", transient: false)
        } else if let earlier = try ledger.runProcessing(pipeline: manifest.name, sha256: sha) {
            run.duplicateOf = earlier
        } else if let previous = try ledger.latestRun(pipeline: manifest.name, inputName: file.name),
                  previous.inputs.contains(where: { $0.name == file.name && $0.sha256 != sha }) {
            run.corrects = previous.id
        }
        try ledger.insert(run)
        return run
    }

    /// Moves the run's inputs from where they were found into `.sluice/work/<run>/input/`.
    /// Idempotent: what was already moved stays.
    func moveClaimedInputs(_ start: RunRecord) throws -> RunRecord {
        var run = try recheckDuplicate(start)
        try FileOperations.makeDirectory(workspace.work(run.id))
        for input in run.inputs {
            let destination = inputPath(run, input.name)
            if FileOperations.exists(destination) { continue }
            var source = workspace.root + "/" + input.origin
            if !(FileOperations.exists(source) || isLink(source)) {
                guard run.trigger != "reprocess", let archived = forgottenArchive(run, input.name) else { continue }
                source = archived
            }
            if run.trigger == "reprocess" {
                try FileOperations.placeCopy(source, to: destination, deferral: syncs)
                continue
            }
            var st = stat()
            if lstat(source, &st) == 0, st.st_nlink > 1, st.st_mode & S_IFMT == S_IFREG {
                // Another name points at the same bytes: take a copy, so later writes through it cannot change our input.
                try FileManager.default.copyItem(atPath: source, toPath: destination + ".copy")
                try FileOperations.fsync(path: destination + ".copy", deferral: syncs)
                try FileOperations.move(destination + ".copy", to: destination, deferral: syncs)
                unlink(source)
            } else {
                try FileOperations.move(source, to: destination, deferral: syncs)
            }
        }
        crashPoints.reached("after-claim")
        run.phase = .stages
        if run.status == .claimed && run.failure == nil && run.duplicateOf == nil { run.status = .running }
        // Not saved here: the next commit records it, and a run still marked `claiming` after a
        // crash repeats this step, which finds the inputs already moved.
        return run
    }

    /// A run claimed as a duplicate of one that was not finished yet (two identical files in
    /// one batch) is a duplicate only if that run did not fail: the same rule as for files that
    /// arrive one after the other. Otherwise the earliest other run of the content that
    /// succeeded or is under way stands as the original, and with none the run is processed.
    func recheckDuplicate(_ start: RunRecord) throws -> RunRecord {
        guard let earlier = start.duplicateOf, let sha = start.inputs.first?.sha256,
              try ledger.run(id: earlier)?.status != .succeeded else { return start }
        var run = start
        run.duplicateOf = nil
        if let other = try ledger.runProcessing(pipeline: run.pipeline, sha256: sha), other != run.id {
            run.duplicateOf = other
        }
        return run
    }

    /// Where an input is when a crash forgot a group commit made after the run had archived
    /// it: in the run's archive folder (nil when it is not there).
    func forgottenArchive(_ run: RunRecord, _ name: String) -> String? {
        let archived = archiveDirectory(run) + "/" + name
        return FileOperations.exists(archived) || isLink(archived) ? archived : nil
    }

    /// Takes such inputs back into the work folder of a run resumed in its stages (a run
    /// created with its inputs in place: by a source, a follower, an event).
    func takeBackForgottenArchives(_ run: RunRecord) throws {
        for input in run.inputs where !FileOperations.exists(inputPath(run, input.name)) {
            guard run.trigger != "reprocess", let archived = forgottenArchive(run, input.name) else { continue }
            try FileOperations.makeDirectory(workspace.work(run.id))
            try FileOperations.move(archived, to: inputPath(run, input.name), deferral: syncs)
        }
    }

    func isLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Where a claimed input is kept while its run goes: `.sluice/work/<run>/.in.<name>`. The
    /// hidden prefix keeps it apart from the outputs steps write into the same folder (an
    /// output name never starts with a dot).
    func inputPath(_ run: RunRecord, _ name: String) -> String {
        workspace.work(run.id) + "/.in." + name
    }

    /// The run's input files, where they are now.
    func inputFiles(_ run: RunRecord) -> [AttachedFile] {
        run.inputs.map { AttachedFile(name: $0.name, path: inputPath(run, $0.name)) }
    }
}
