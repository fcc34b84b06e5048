/// Accumulates issues for one state file, locating each through the file's source lines.
struct IssueCollector {
    let source: String
    var lines: SourceLines
    private(set) var issues: [StateFileIssue] = []

    init(source: String, lines: SourceLines = .none) {
        self.source = source
        self.lines = lines
    }

    mutating func report(_ message: String, at path: FieldPath, line: Int? = nil) {
        issues.append(StateFileIssue(
            source: source, path: path.description, line: line ?? lines.line(for: path), message: message))
    }

    /// The issues ordered by line (issues without a line last), keeping discovery order within a line.
    var issuesInFileOrder: [StateFileIssue] {
        issues.enumerated()
            .sorted { ($0.element.line ?? .max, $0.offset) < ($1.element.line ?? .max, $1.offset) }
            .map(\.element)
    }
}
