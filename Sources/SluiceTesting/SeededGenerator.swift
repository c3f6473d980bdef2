/// A small deterministic generator (xorshift64*) for tests that damage files at random places:
/// the same seed gives the same damage, so a failure reproduces.
public struct SeededGenerator: Sendable {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    /// A number in `0 ..< bound` (0 when `bound` is not positive).
    public mutating func next(_ bound: Int) -> Int {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Int((state &* 2_685_821_657_736_338_717) >> 33) % max(bound, 1)
    }
}
