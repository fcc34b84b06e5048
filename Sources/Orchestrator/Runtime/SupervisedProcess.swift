/// One supervised process: the spec it runs, its pid while running, and how often it restarted.
public struct SupervisedProcess: Codable, Sendable, Equatable {
    public var spec: ProcessSpec
    public var pid: Int32?
    public var restarts: Int
    public var lastExit: String?

    public init(spec: ProcessSpec, pid: Int32?, restarts: Int = 0, lastExit: String? = nil) {
        self.spec = spec
        self.pid = pid
        self.restarts = restarts
        self.lastExit = lastExit
    }
}
