/// The services of one IPVS table with their destinations. Each service identity (protocol,
/// address, port) appears once, and each destination address and port once per service.
/// New destinations are added in array order; the kernel lists (and `sh` walks) them newest
/// first, so the order read back is not the order given, and the planner ignores order.
public struct IPVSTable: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    public let destinations: [IPVSService: [IPVSDestination]]

    public init(_ destinations: [IPVSService: [IPVSDestination]] = [:]) {
        precondition(Set(destinations.keys.map(\.id)).count == destinations.count,
                     "an IPVS table holds each service (protocol, address, port) once")
        for (service, list) in destinations {
            precondition(Set(list.map(\.id)).count == list.count,
                         "service \(service) lists a destination twice")
        }
        self.destinations = destinations
    }

    public init(dictionaryLiteral elements: (IPVSService, [IPVSDestination])...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The services, ordered by protocol, address and port.
    public var services: [IPVSService] { destinations.keys.sorted { $0.id < $1.id } }

    public subscript(service: IPVSService) -> [IPVSDestination]? { destinations[service] }

    public var isEmpty: Bool { destinations.isEmpty }

    /// One line per service, then one indented line per destination.
    public var description: String {
        services.map { service in
            let header = "\(service) \(service.scheduler) flags [\(service.flags)] timeout \(service.timeout)"
            let lines = (destinations[service] ?? []).map { "  -> \($0) \($0.forwarding) weight \($0.weight)" }
            return ([header] + lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
