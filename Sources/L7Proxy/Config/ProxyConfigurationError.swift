/// Why a proxy configuration could not be loaded or used.
public enum ProxyConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not a configuration document; `detail` names the field.
    case malformed(source: String, detail: String)
    /// The document decoded but breaks rules; each problem names its field path.
    case invalid(problems: [String])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read proxy configuration \(path): \(reason)"
        case .malformed(let source, let detail):
            "proxy configuration \(source) is malformed: \(detail)"
        case .invalid(let problems):
            "proxy configuration is invalid:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}
