import Yams

/// What a trigger reads its configuration from.
public struct TriggerInput {
    /// The node under the trigger's key.
    public var node: Node
    /// The nodes of its companion keys that the manifest writes (`misfire`), by key.
    public var companions: [String: Node]
    public var decoder: ManifestDecoder

    /// Where `node` is, for messages.
    public var location: SourceLocation? { SluiceCore.location(node.mark, file: decoder.file) }

    /// Where a node of this manifest is, for messages.
    public func location(of node: Node) -> SourceLocation? { SluiceCore.location(node.mark, file: decoder.file) }
}
