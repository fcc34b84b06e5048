/// One change to an IPVS table, as the planner produces it and `IPVSClient.apply` sends it.
/// Destination changes carry the service they belong to; only its identity is sent.
public enum IPVSChange: Hashable, Sendable, CustomStringConvertible {
    case addService(IPVSService)
    /// Sets the scheduler, flags and timeout of an existing service.
    case updateService(IPVSService)
    /// Deletes the service and, with it, its destinations.
    case deleteService(IPVSService)
    case addDestination(IPVSDestination, service: IPVSService)
    /// Sets the weight and forwarding method of an existing destination.
    case updateDestination(IPVSDestination, service: IPVSService)
    case deleteDestination(IPVSDestination, service: IPVSService)
    /// Sets the namespace's idle timeout of established TCP connections, in seconds.
    case setTCPTimeout(UInt32)

    /// What the change does, naming the service and destination, e.g.
    /// `adding destination 10.0.1.11:8080 to TCP 10.0.1.254:80`.
    public var description: String {
        switch self {
        case .addService(let service):
            "adding service \(service) (\(service.scheduler)\(Self.flagsText(service.flags)))"
        case .updateService(let service):
            "updating service \(service) (\(service.scheduler)\(Self.flagsText(service.flags)))"
        case .deleteService(let service):
            "deleting service \(service)"
        case .addDestination(let destination, let service):
            "adding destination \(destination) to \(service)"
        case .updateDestination(let destination, let service):
            "updating destination \(destination) of \(service) (weight \(destination.weight), \(destination.forwarding))"
        case .deleteDestination(let destination, let service):
            "deleting destination \(destination) from \(service)"
        case .setTCPTimeout(let seconds):
            "setting the TCP idle timeout to \(seconds) s"
        }
    }

    private static func flagsText(_ flags: IPVSSchedulerFlags) -> String {
        flags.isEmpty ? "" : " \(flags)"
    }
}
