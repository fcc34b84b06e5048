import Foundation

extension Deployment {
    /// The log of host `name`'s process (an instance's target server or command, an ALB node's
    /// proxy) in the applied topology: `STATE_DIR/logs/NAME.log`.
    public func logPath(ofHost name: String) throws -> String {
        guard let model = try appliedModel() else { throw DeploymentError.nothingApplied(directory.path) }
        let hosts = model.topology.hosts
        guard let host = hosts.first(where: { $0.name == name }) else {
            throw DeploymentError.unknownHost(name, known: hosts.map(\.name))
        }
        let withProcess = hosts.filter { $0.run != nil }.map(\.name) + (try model.applicationLoadBalancerNodes()).map(\.name)
        guard withProcess.contains(host.name) else {
            throw DeploymentError.noProcess(name, withProcess: withProcess)
        }
        return directory.logPath(process: name)
    }
}
