/// The reasons a state file was rejected; it always carries at least one issue.
public struct StateFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let issues: [StateFileIssue]

    public init(issues: [StateFileIssue]) {
        self.issues = issues
    }

    /// All issues, one per line.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
