import Foundation

/// What pruning removes: finished runs older than the limit, each with its archive folder.
/// A run and its reprocessings share their effect keys (a reprocessing does not redo what the
/// original did), so they go together, when the youngest of them is past the limit: an effect
/// key is never forgotten while a run that could be reprocessed under it remains.
public struct PrunePlan: Sendable {
    public struct Item: Sendable {
        public var run: RunRecord
        /// The archive folder, relative to the workspace (nil when the run has none).
        public var archive: String?
        /// The bytes of the files in the archive folder.
        public var archiveBytes: Int64
        /// The bytes of the run's record in the ledger.
        public var recordBytes: Int64
    }

    /// Runs that finished before this instant go.
    public var cutoff: Date
    /// The pipeline pruned; nil: all.
    public var pipeline: String?
    public var items: [Item]
    /// Runs past the limit kept because a younger or unfinished run shares their effect keys.
    public var keptWithYoungerRuns: Int

    public var archiveBytes: Int64 { items.reduce(0) { $0 + $1.archiveBytes } }
    public var recordBytes: Int64 { items.reduce(0) { $0 + $1.recordBytes } }
}

/// What a prune did.
public struct PruneReport: Sendable {
    public var removedRuns: Int
    public var removedArchiveBytes: Int64
    /// Schedule slots forgotten (each pipeline keeps its latest).
    public var forgottenSlots: Int
    /// The ledger's size before and after, in bytes.
    public var ledgerBytes: (before: Int64, after: Int64)
}

extension Runner {
    /// The finished runs (of `pipeline`, or of all) that finished longer than `age` ago by the
    /// runner's clock. Never a run that is claimed, running or waiting. Reads only.
    public func prunePlan(olderThan age: DurationValue, pipeline: String? = nil) throws -> PrunePlan {
        let cutoff = clock.now() - age.seconds
        let ages = try ledger.runAges()
        // A scope's runs go together, and only when every one of them is finished and old.
        var scopeIsOld: [String: Bool] = [:]
        for a in ages {
            let old = (a.finishedAt.map { $0 < cutoff }) ?? false
            scopeIsOld[a.effectScope] = (scopeIsOld[a.effectScope] ?? true) && old
        }
        var items: [PrunePlan.Item] = []
        var kept = 0
        for a in ages where pipeline == nil || a.pipeline == pipeline {
            guard let finished = a.finishedAt, finished < cutoff else { continue }
            guard scopeIsOld[a.effectScope] == true else { kept += 1; continue }
            guard let run = try ledger.run(id: a.id) else { continue }
            let folder = archiveFolder(of: run)
            items.append(PrunePlan.Item(run: run, archive: folder.map(workspace.relative),
                                        archiveBytes: folder.map(FileOperations.treeSize) ?? 0, recordBytes: a.recordBytes))
        }
        return PrunePlan(cutoff: cutoff, pipeline: pipeline, items: items, keptWithYoungerRuns: kept)
    }

    /// Removes what the plan lists: the runs' records in one transaction first (where the ledger
    /// checks again that each run's effect scope is finished and old, so a reprocess started
    /// since the plan keeps its original), then the archive folders of the runs it removed, then
    /// the ledger gives the freed space back. A crash between the two leaves archive folders
    /// without a record: space, never a lost input.
    public func prune(_ plan: PrunePlan) throws -> PruneReport {
        let removed = Set(try ledger.removeRuns(ids: plan.items.map(\.run.id), finishedBefore: plan.cutoff))
        var bytes: Int64 = 0
        for item in plan.items where removed.contains(item.run.id) {
            guard let folder = archiveFolder(of: item.run) else { continue }
            bytes += FileOperations.treeSize(folder)
            FileOperations.removeTree(folder)
            removeEmptyParents(of: folder, upTo: workspace.root + "/archive/" + item.run.pipeline)
        }
        let slots = try ledger.forgetScheduleSlots(before: plan.cutoff, pipeline: plan.pipeline)
        let sizes = try ledger.compact()
        return PruneReport(removedRuns: removed.count, removedArchiveBytes: bytes, forgottenSlots: slots, ledgerBytes: sizes)
    }

    /// The run's archive folder, when it has one where archives are kept
    /// (`archive/<pipeline>/<yyyy>/<mm>/<dd>/<run>`): nothing outside it is ever removed.
    func archiveFolder(of run: RunRecord) -> String? {
        guard let relative = run.archivePath else { return nil }
        let path = URL(fileURLWithPath: workspace.root + "/" + relative).standardizedFileURL.path
        guard path.hasPrefix(workspace.root + "/archive/" + run.pipeline + "/"), (path as NSString).lastPathComponent == run.id,
              FileOperations.exists(path) else { return nil }
        return path
    }

    /// Removes the date folders an archive folder leaves empty (`dd`, then `mm`, then `yyyy`).
    func removeEmptyParents(of folder: String, upTo top: String) {
        var parent = (folder as NSString).deletingLastPathComponent
        while parent.hasPrefix(top + "/"), rmdir(parent) == 0 {
            parent = (parent as NSString).deletingLastPathComponent
        }
    }
}

extension FileOperations {
    /// The bytes of the regular files under `path` (links are not followed).
    public static func treeSize(_ path: String) -> Int64 {
        var total: Int64 = 0
        var st = stat()
        guard lstat(path, &st) == 0 else { return 0 }
        if (st.st_mode & S_IFMT) == S_IFREG { return Int64(st.st_size) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return 0 }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            total += treeSize(path + "/" + name)
        }
        return total
    }
}
