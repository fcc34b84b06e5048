/// What lbnet created and allocated, kept in the state directory so that `up` can delete what
/// is no longer wanted and `down` can remove everything, whatever happened to the state file.
/// Names are recorded *before* they are created, so after a crash the record is a superset of
/// what exists.
public struct OwnershipRecord: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    public var prefix: String
    /// Every network namespace lbnet may have created.
    public var namespaces: Set<String>

    public init(prefix: String) {
        version = Self.currentVersion
        self.prefix = prefix
        namespaces = []
    }
}
