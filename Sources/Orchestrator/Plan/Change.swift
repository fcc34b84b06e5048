import Kernel

/// One step that brings the kernel closer to the desired state. A plan is an ordered list of
/// these; `phase` gives the dependency order the applier follows.
public enum Change: Sendable, Equatable, CustomStringConvertible {
    case stopProcess(ProcessSpec)
    case deleteNamespace(String)
    case createNamespace(String)
    case deleteLink(namespace: String, name: String)
    case createBridge(namespace: String, name: String)
    case createVeth(namespace: String, name: String, peerNamespace: String, peerName: String)
    case setLink(namespace: String, name: String, up: Bool, master: String?)
    case deleteAddress(namespace: String, AddressSpec)
    case addAddress(namespace: String, AddressSpec)
    case deleteRoute(namespace: String, RouteSpec)
    case addRoute(namespace: String, RouteSpec)
    case deleteRule(namespace: String, RoutingRule)
    case addRule(namespace: String, RoutingRule)
    case setSysctl(namespace: String, key: String, value: String)
    case nftables(NFTablesStep)
    case ipvs(IPVSStep)
    case writeProxyConfiguration(ProxyConfigurationWrite)
    case startProcess(ProcessSpec)
    case restartProcess(ProcessSpec)
    /// The configuration file of an ALB node that is gone (its proxy was stopped first).
    case removeProxyConfiguration(node: String)

    /// Dependency order: stop what uses a namespace before removing it, create namespaces before
    /// their links, links before addresses, addresses before routes, sysctls (IPVS's need its
    /// module, which the IPVS availability check loads) before datapaths that rely on them,
    /// configuration files before the proxies that read them, everything before processes.
    /// Conntrack's sysctls come after the datapaths: their files exist once a NAT table has
    /// loaded conntrack.
    public var phase: Int {
        switch self {
        case .stopProcess: 0
        case .deleteNamespace: 1
        case .createNamespace: 2
        case .deleteLink: 3
        case .createBridge: 4
        case .createVeth: 5
        case .setLink: 6
        case .deleteRoute, .deleteRule: 7
        case .deleteAddress: 8
        case .addAddress: 9
        case .addRoute, .addRule: 10
        case .setSysctl(_, let key, _): key.hasPrefix(Self.conntrackSysctlPrefix) ? 13 : 11
        case .nftables, .ipvs: 12
        case .writeProxyConfiguration: 14
        case .startProcess, .restartProcess: 15
        case .removeProxyConfiguration: 16
        }
    }

    static let conntrackSysctlPrefix = "net.netfilter."

    /// Whether the step is the process supervisor's rather than the kernel's or a file's.
    public var isProcessStep: Bool {
        switch self {
        case .stopProcess, .startProcess, .restartProcess: true
        default: false
        }
    }

    /// `+` adds, `-` removes, `~` changes: the marks a reader of a plan expects.
    public var description: String {
        switch self {
        case .stopProcess(let p): "- process \(p.name) (in \(p.namespace ?? "lbnet's namespace"))"
        case .deleteNamespace(let n): "- namespace \(n)"
        case .createNamespace(let n): "+ namespace \(n)"
        case .deleteLink(let ns, let name): "- link \(name) (in \(ns))"
        case .createBridge(let ns, let name): "+ bridge \(name) (in \(ns))"
        case .createVeth(let ns, let name, let peerNs, let peer): "+ veth \(name) (in \(ns)) <-> \(peer) (in \(peerNs))"
        case .setLink(let ns, let name, let up, let master):
            "~ link \(name) (in \(ns)): \(up ? "up" : "down")\(master.map { ", master \($0)" } ?? "")"
        case .deleteAddress(let ns, let a): "- address \(a) (in \(ns))"
        case .addAddress(let ns, let a): "+ address \(a) (in \(ns))"
        case .deleteRoute(let ns, let r): "- route \(r) (in \(ns))"
        case .addRoute(let ns, let r): "+ route \(r) (in \(ns))"
        case .deleteRule(let ns, let r): "- rule \(r) (in \(ns))"
        case .addRule(let ns, let r): "+ rule \(r) (in \(ns))"
        case .setSysctl(let ns, let key, let value): "~ sysctl \(key)=\(value) (in \(ns))"
        case .nftables(let step): step.description
        case .ipvs(let step): step.description
        case .writeProxyConfiguration(let write): write.description
        case .removeProxyConfiguration(let node): "- alb config \(node)"
        case .startProcess(let p): "+ process \(p.name) (in \(p.namespace ?? "lbnet's namespace")): \(p.arguments.joined(separator: " "))"
        case .restartProcess(let p): "~ process \(p.name) (in \(p.namespace ?? "lbnet's namespace")): \(p.arguments.joined(separator: " "))"
        }
    }
}
