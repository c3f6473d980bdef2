import Foundation
import Logging

/// The daemon's daily prune by `retention: { runs: 90d }` in sluice.yaml: at start, then once a
/// day by the injected clock, on a job thread (removing archive folders never holds up the
/// scheduler). Pruning touches finished runs only, so it goes on beside running ones.
extension Daemon {
    /// Starts the prune when it is due.
    func applyRetention(_ now: Date) {
        guard let age = settings.retention else { return }
        let due = lock.withLock { () -> Bool in
            guard let next = nextPrune, next <= now else { return false }
            nextPrune = nil
            return true
        }
        guard due else { return }
        executor.execute { [self] in
            do {
                let report = try runner.prune(try runner.prunePlan(olderThan: age))
                if report.removedRuns > 0 {
                    logger.info("retention \(age): removed \(report.removedRuns) run(s) finished more than \(age) ago")
                    runner.observer.notice("retention \(age): removed \(report.removedRuns) run(s) finished more than \(age) ago and their archives")
                }
            } catch {
                logger.error("cannot prune by the retention of sluice.yaml: \(error)")
                runner.observer.notice("cannot prune by the retention of sluice.yaml: \(error); tried again in a day")
            }
            lock.withLock { nextPrune = clock.now() + 86_400 }
            onWake()
        }
    }
}
