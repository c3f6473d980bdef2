import Foundation

/// Datasets and outputs carried from one stage to the next.
struct StageEnvironment {
    var datasets: [String: Dataset] = [:]
    var order: [String] = []
    var current: String?
    var outputs: [(name: String, path: String, step: String)] = []

    mutating func set(_ name: String, _ dataset: Dataset) {
        if datasets[name] == nil { order.append(name) }
        datasets[name] = dataset
    }

    /// Takes in what a step produced: its dataset (which becomes the current one) and extras.
    mutating func absorb(_ output: StepOutput, as name: String) {
        if let d = output.dataset {
            set(name, d)
            current = name
        }
        for (suffix, d) in output.extras { set(name + "." + suffix, d) }
    }
}
