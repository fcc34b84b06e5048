import Foundation
import Kernel

/// The `/etc/resolv.conf` a command run in a host's namespace (`lbnet exec`) sees: the DNS
/// answerer of load balancer names where the host can reach it, its subnet's gateway (the VPC
/// router) or, in `internet`, 127.0.0.1. Other names are refused there: lbnet's namespaces
/// have no way out to a real resolver.
public enum ResolverConfiguration {
    public static func text(nameserver: IPv4Address) -> String {
        """
        # lbnet: load balancer names (their DNSName) only, answered by the lbnet daemon
        nameserver \(nameserver)
        options timeout:2 attempts:2

        """
    }
}

extension Deployment {
    /// The nameserver of `host`'s resolver (see ``ResolverConfiguration``).
    public func nameserver(ofHost name: String) throws -> IPv4Address {
        if name == Naming.internetHost { return IPv4Address(127, 0, 0, 1) }
        guard let host = try appliedTopology()?.host(named: name) else { throw DeploymentError.nothingApplied(directory.path) }
        return host.gateway
    }
}
