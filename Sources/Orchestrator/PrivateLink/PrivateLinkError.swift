/// Why a state file's interface endpoints cannot be laid out, naming the endpoint.
public enum PrivateLinkError: Error, CustomStringConvertible, Equatable {
    case hostNameTaken(String, endpoint: String)
    case noFreeAddress(endpoint: String, subnet: String)
    case noProviderNode(endpoint: String, service: String)
    case transitPoolExhausted(endpoint: String, capacity: Int)

    public var description: String {
        switch self {
        case .hostNameTaken(let name, let endpoint):
            "vpcEndpoints: interface '\(name)' of endpoint '\(endpoint)' has the name of another host; rename one of them"
        case .noFreeAddress(let endpoint, let subnet):
            "vpcEndpoints: endpoint '\(endpoint)' has no free address left in subnet '\(subnet)'"
        case .noProviderNode(let endpoint, let service):
            "vpcEndpoints: endpoint '\(endpoint)': service '\(service)' has no network load balancer node to reach"
        case .transitPoolExhausted(let endpoint, let capacity):
            "vpcEndpoints: endpoint '\(endpoint)': more than \(capacity) endpoint interfaces do not fit in \(PrivateLinkTransit.pool)"
        }
    }
}
