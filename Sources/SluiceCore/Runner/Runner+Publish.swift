import Foundation

extension Runner {
    /// Publishes outputs to `outbox/<pipeline>/`: each written under a temporary name and
    /// renamed into place. Repeating it after a crash writes the same bytes again.
    /// `known`: the outputs of every committed stage when this process ran them (else read
    /// from the checkpoints).
    func publish(_ start: RunRecord, stages: [Stage], lifecycle: RunLifecycle, save saving: Bool = true,
                 known: [(name: String, path: String, step: String)]? = nil) throws -> RunRecord {
        var run = start
        let outbox = workspace.outbox(run.pipeline)
        try FileOperations.makeDirectory(outbox)
        var sources: [(name: String, path: String, step: String)] = []
        var published: [PublishedOutput] = []
        if run.failure != nil {
            published = run.outputs.filter { !$0.sha256.isEmpty }
            sources = run.outputs.filter { $0.sha256.isEmpty }.map { ($0.name, $0.path, $0.step) }
        } else {
            // Outputs of stages already published stay as they are.
            let all = try known ?? loadEnvironment(run, stages: stages, datasets: false).outputs
            let already = run.outputs.filter { !$0.sha256.isEmpty }
            published = already
            sources = Array(all.dropFirst(already.count))
        }
        for (n, s) in sources.enumerated() {
            let destination = outbox + "/" + s.name
            // Outputs move into the outbox (a rename: nothing is left to delete afterwards).
            // Publishing again after a crash finds the work copy gone and the outbox one in place.
            if FileOperations.exists(s.path) {
                try FileOperations.move(s.path, to: destination, sync: false)
            }
            if n == 0 { crashPoints.reached("mid-publish") }
            let (sha, size) = (try? FileOperations.sha256(path: destination)) ?? ("", 0)
            published.append(PublishedOutput(name: s.name, path: workspace.relative(destination), size: size, sha256: sha, step: s.step))
        }
        if !sources.isEmpty { try FileOperations.fsync(path: outbox, deferral: syncs) }
        crashPoints.reached("after-publish")
        run.outputs = published
        if run.failure != nil { run.published = true } else { run.publishedStages = run.completedStages.count }
        advance(&run, .published, lifecycle)
        // When archiving follows at once, its commit records this too: publishing again after a
        // crash rewrites the same files.
        if saving { try save(&run) }
        return run
    }
}
