import Foundation

/// What a stage's checkpoint holds besides its datasets and staged states: the datasets'
/// names, the current dataset, and the outputs steps wrote.
struct CheckpointIndex: Codable {
    struct Output: Codable {
        var name: String
        /// Relative to the run's work folder.
        var file: String
        var step: String
    }
    var datasets: [String]
    var current: String?
    var outputs: [Output]
}

/// A committed stage's checkpoint: a JSON index, then every dataset and every staged state,
/// each length-prefixed. Stored in the ledger in the same transaction that records the
/// stage as done, so a checkpoint is never half-written or orphaned.
enum CheckpointFile {
    static let magic = Array("SLCK1\n".utf8)

    static func encode(index: CheckpointIndex, datasets: [Dataset], states: [(String, [UInt8])]) throws -> [UInt8] {
        var w = ByteWriter()
        w.bytes += magic
        let json = Array(try JSONEncoder().encode(index))
        w.varint(UInt64(json.count))
        w.bytes += json
        for d in datasets {
            let b = DatasetCodec.encode(d)
            w.varint(UInt64(b.count))
            w.bytes += b
        }
        w.varint(UInt64(states.count))
        for (name, bytes) in states {
            w.string(name)
            w.varint(UInt64(bytes.count))
            w.bytes += bytes
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], datasets wanted: Bool) throws -> (CheckpointIndex, [Dataset], [String: [UInt8]]) {
        guard bytes.starts(with: magic) else { throw DatasetCodec.DecodingError(description: "not a checkpoint file") }
        var r = ByteReader(bytes: bytes)
        r.offset = magic.count
        func chunk() throws -> [UInt8] {
            let n = Int(try r.varint())
            guard r.offset + n <= bytes.count else { throw DatasetCodec.DecodingError(description: "truncated checkpoint") }
            defer { r.offset += n }
            return Array(bytes[r.offset ..< r.offset + n])
        }
        let index = try JSONDecoder().decode(CheckpointIndex.self, from: Data(try chunk()))
        var datasets: [Dataset] = []
        for _ in index.datasets {
            let b = try chunk()
            if wanted { datasets.append(try DatasetCodec.decode(b)) }
        }
        var states: [String: [UInt8]] = [:]
        for _ in 0 ..< (try r.varint()) {
            let name = try r.string()
            states[name] = try chunk()
        }
        return (index, datasets, states)
    }
}
