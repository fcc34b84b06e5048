/// One problem found in a state file: where it is (path and line) and what is wrong.
public struct StateFileIssue: Sendable, Equatable, CustomStringConvertible {
    /// The file the issue was found in, as given to the loader.
    public let source: String
    /// The key path of the offending value, e.g. `vpcs[0].subnets[1].cidr`; empty for the whole file.
    public let path: String
    /// The 1-based line of the offending value, when known.
    public let line: Int?
    public let message: String

    public init(source: String, path: String, line: Int?, message: String) {
        self.source = source
        self.path = path
        self.line = line
        self.message = message
    }

    /// `state.yaml:12: vpcs[0].subnets[1].cidr: 10.1.0.0/24 is outside the VPC's 10.0.0.0/16`
    public var description: String {
        let location = line.map { "\(source):\($0)" } ?? source
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}
