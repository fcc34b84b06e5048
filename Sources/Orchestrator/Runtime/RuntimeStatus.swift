/// What the daemon reports about its runtime: the processes it supervises, the NLB target
/// health it measured, the targets that drain, and how often health or draining changed a
/// datapath directly (without a whole reconcile).
public struct RuntimeStatus: Codable, Sendable, Equatable {
    public var pid: Int32
    public var processes: [String: SupervisedProcess]
    public var health: HealthRecord
    public var draining: [DrainingBackend]
    /// Datapath updates made for health or draining changes, each touching one node.
    public var datapathUpdates: Int
    /// Whole reconciles run (one per `up`).
    public var reconciles: Int
    /// What the daemon serves besides its sockets (`api`), and where.
    public var endpoints: [String: String]

    public init(pid: Int32, processes: [String: SupervisedProcess] = [:], health: HealthRecord = HealthRecord(),
                draining: [DrainingBackend] = [], datapathUpdates: Int = 0, reconciles: Int = 0, endpoints: [String: String] = [:]) {
        self.pid = pid
        self.processes = processes
        self.health = health
        self.draining = draining
        self.datapathUpdates = datapathUpdates
        self.reconciles = reconciles
        self.endpoints = endpoints
    }
}
