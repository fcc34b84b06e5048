/// The line each decoded value starts on, so issues found after decoding can point into the file.
struct SourceLines: Sendable {
    private var lines: [FieldPath: Int] = [:]

    static let none = SourceLines()

    /// Remembers where `path` starts; the first line recorded wins, so a key's line beats its value's.
    mutating func record(_ line: Int, for path: FieldPath) {
        if lines[path] == nil {
            lines[path] = line
        }
    }

    /// The line of `path`, or of its closest ancestor that has one.
    func line(for path: FieldPath) -> Int? {
        var current: FieldPath? = path
        while let candidate = current {
            if let line = lines[candidate] { return line }
            current = candidate.parent
        }
        return nil
    }
}
