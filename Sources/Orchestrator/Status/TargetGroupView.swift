/// A target group as the topology picture draws it, gathered from the status rows that name it:
/// the load balancer nodes that forward to it (NLB listeners, ALB target health rows), its
/// targets with the worst health any node sees, and the VPC it belongs to.
struct TargetGroupView {
    /// A load balancer node sending to the group, through `listener` (`TCP:80`) when known.
    struct Source: Equatable {
        let node: String
        let listener: String?
    }

    /// A target: a host's picture node when its address or name is a host's, else a node of its own.
    struct Member {
        let node: String
        let address: String
        let isHost: Bool
        var health: PictureHealth
    }

    let name: String
    /// `nil` when no node sending to it is in a known subnet.
    var vpc: String?
    var sources: [Source] = []
    var members: [Member] = []

    var id: String { "group \(name)" }

    /// Every target group the report shows, in the order they first appear. An NLB listener the
    /// file no longer has (its targets draining) forms a group named after the node and listener.
    static func all(in report: StatusReport) -> [TargetGroupView] {
        var gatherer = Gatherer(report: report)
        for node in report.networkLoadBalancerNodes {
            for listener in node.listeners {
                let name = "\(listener.protocol):\(listener.port)"
                for target in listener.targets {
                    gatherer.add(group: listener.targetGroup ?? "\(node.node) \(name) (removed)", from: node.node, listener: name,
                                 target: target.address, hostName: nil, state: target.state)
                }
            }
        }
        for target in report.applicationLoadBalancers.targets {
            gatherer.add(group: target.targetGroup, from: target.node, listener: nil, target: target.address,
                         hostName: target.target, state: target.state)
        }
        return gatherer.groups
    }

    func drawNodes(in graph: inout DotGraph) {
        graph.node(id, ["label": "target group\n\(name)", "shape": "folder", "style": "filled", "fillcolor": "#f5f5f5"])
        for member in members where !member.isHost {
            graph.node(member.node, ["label": member.address, "fillcolor": member.health.fill])
        }
    }

    func drawEdges(in graph: inout DotGraph) {
        for source in sources {
            graph.edge(TopologyPicture.hostID(source.node), id, source.listener.map { ["label": $0] } ?? [:])
        }
        for member in members {
            let port = member.address.split(separator: ":").last.map { ":\($0)" } ?? ""
            graph.edge(id, member.node, ["label": port, "color": member.health.line, "fontcolor": member.health.line,
                                         "penwidth": "1.5", "tooltip": member.health.name])
        }
    }

    /// Collects groups, sources and members from status rows.
    private struct Gatherer {
        let report: StatusReport
        var groups: [TargetGroupView] = []
        let hostsByAddress: [String: String]

        init(report: StatusReport) {
            self.report = report
            hostsByAddress = Dictionary(report.hosts.map { ($0.address.split(separator: "/").first.map(String.init) ?? $0.address, $0.name) },
                                        uniquingKeysWith: { first, _ in first })
        }

        mutating func add(group name: String, from node: String, listener: String?, target address: String,
                          hostName: String?, state: String) {
            let index = groups.firstIndex { $0.name == name } ?? {
                groups.append(TargetGroupView(name: name, vpc: vpc(of: node)))
                return groups.count - 1
            }()
            let source = Source(node: node, listener: listener)
            if !groups[index].sources.contains(source) { groups[index].sources.append(source) }
            let ip = address.split(separator: ":").first.map(String.init) ?? address
            let host = hostName.flatMap { name in report.hosts.contains { $0.name == name } ? name : nil } ?? hostsByAddress[ip]
            let member = Member(node: host.map(TopologyPicture.hostID) ?? "target \(address)", address: address,
                                isHost: host != nil, health: PictureHealth(state))
            if let existing = groups[index].members.firstIndex(where: { $0.node == member.node }) {
                groups[index].members[existing].health = max(groups[index].members[existing].health, member.health)
            } else {
                groups[index].members.append(member)
            }
        }

        private func vpc(of host: String) -> String? {
            let subnet = report.hosts.first { $0.name == host }?.subnet
            return report.subnets.first { $0.name == subnet }?.vpc
        }
    }
}
