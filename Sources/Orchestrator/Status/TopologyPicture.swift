/// `lbnet status --format dot`: the topology of a `StatusReport` as a Graphviz graph. VPCs, AZs
/// and subnets are nested boxes holding their hosts (instances, load balancer nodes with their
/// Elastic IPs, endpoint interfaces); target groups and endpoint services sit in their VPC, the
/// internet above it all. Edges follow the traffic: internet → NLB node → target group →
/// target, ALB node → target group → target, endpoint → endpoint service → NLB node. Targets
/// are coloured by health, the worst any load balancer node sees. Pure: it reads the report only.
public struct TopologyPicture {
    public let report: StatusReport

    public init(_ report: StatusReport) { self.report = report }

    /// The graph in Graphviz's DOT language (`dot -Tsvg` draws it).
    public var dot: String {
        let groups = TargetGroupView.all(in: report)
        let health = groups.reduce(into: [String: PictureHealth]()) { health, group in
            for member in group.members { health[member.node] = max(health[member.node] ?? .healthy, member.health) }
        }
        var graph = DotGraph()
        graph.defaults("graph", ["rankdir": "TB", "fontname": "Helvetica", "fontsize": "12", "newrank": "true", "labeljust": "l",
                                 "nodesep": "0.35", "ranksep": "0.55"])
        graph.defaults("node", ["fontname": "Helvetica", "fontsize": "10", "shape": "box", "style": "rounded,filled",
                                "fillcolor": "white", "color": "#424242"])
        graph.defaults("edge", ["fontname": "Helvetica", "fontsize": "9", "color": "#424242"])
        for vpc in report.vpcs {
            graph.cluster("vpc \(vpc.name)", ["label": "VPC \(vpc.name)  \(vpc.cidr)", "style": "rounded", "color": "#3949ab",
                                              "fontcolor": "#3949ab", "penwidth": "2"]) { graph in
                drawSubnets(of: vpc.name, health: health, in: &graph)
                groups.filter { $0.vpc == vpc.name }.forEach { $0.drawNodes(in: &graph) }
                services(in: vpc.name).forEach { drawService($0, in: &graph) }
            }
        }
        let inVPC = Set(report.subnets.map(\.name))
        report.hosts.filter { !inVPC.contains($0.subnet) }.forEach { drawHost($0, health: health[Self.hostID($0.name)], in: &graph) }
        groups.filter { $0.vpc == nil }.forEach { $0.drawNodes(in: &graph) }
        drawTraffic(groups, in: &graph)
        drawLegend(in: &graph)
        return graph.render(name: "lbnet")
    }

    static func hostID(_ name: String) -> String { "host \(name)" }

    // MARK: Boxes

    private func drawSubnets(of vpc: String, health: [String: PictureHealth], in graph: inout DotGraph) {
        let subnets = report.subnets.filter { $0.vpc == vpc }
        for zone in subnets.map(\.availabilityZone).uniqued() {
            graph.cluster("az \(vpc) \(zone)", ["label": "AZ \(zone)", "style": "dashed,rounded", "color": "#9e9e9e",
                                                "fontcolor": "#616161"]) { graph in
                for subnet in subnets where subnet.availabilityZone == zone {
                    let state = subnet.state == "available" ? "" : " (\(subnet.state))"
                    graph.cluster("subnet \(subnet.name)", ["label": "\(subnet.name)  \(subnet.cidr)\(state)",
                                                            "style": "rounded,filled", "fillcolor": "#f3f7fd", "color": "#90caf9"]) { graph in
                        for host in report.hosts where host.subnet == subnet.name {
                            drawHost(host, health: health[Self.hostID(host.name)], in: &graph)
                        }
                    }
                }
            }
        }
    }

    private func drawHost(_ host: StatusReport.HostRow, health: PictureHealth?, in graph: inout DotGraph) {
        let address = host.address.split(separator: "/").first.map(String.init) ?? host.address
        var lines = [host.name]
        var fill = "white"
        if host.kind == "internet" {
            graph.node(Self.hostID(host.name), ["label": host.state == "up" ? "internet" : "internet (\(host.state))",
                                                "shape": "ellipse", "fillcolor": "#e3f2fd"])
            return
        } else if let node = report.networkLoadBalancerNodes.first(where: { $0.node == host.name }) {
            lines += ["NLB \(node.loadBalancer) (\(node.datapath))", address]
            lines += node.elasticIP.map { ["Elastic IP \($0)"] } ?? []
            if node.state != "in sync" { lines.append(node.state) }
            fill = "#e1d5f5"
        } else if let node = report.applicationLoadBalancers.nodes.first(where: { $0.node == host.name }) {
            lines += ["ALB \(node.loadBalancer)", address]
            if node.configuration != "loaded" { lines.append("config \(node.configuration)") }
            fill = "#e1d5f5"
        } else if let endpoint = report.privateLink.endpoints.first(where: { $0.interface == host.name }) {
            lines += ["endpoint \(endpoint.endpoint)", address]
            fill = "#ffe0b2"
        } else {
            lines.append(address)
        }
        if host.state != "up" { lines.append("link \(host.state)") }
        if host.process == "stopped" || host.process == "restarting" { lines.append("process \(host.process)") }
        graph.node(Self.hostID(host.name), ["label": lines.joined(separator: "\n"), "fillcolor": health?.fill ?? fill])
    }

    private func services(in vpc: String) -> [PrivateLinkStatus.ServiceRow] {
        report.privateLink.services.filter { service in
            let node = report.networkLoadBalancerNodes.first { service.networkLoadBalancers.contains($0.loadBalancer) }
            let subnet = report.hosts.first { $0.name == node?.node }?.subnet
            return report.subnets.first { $0.name == subnet }?.vpc == vpc
        }
    }

    private func drawService(_ service: PrivateLinkStatus.ServiceRow, in graph: inout DotGraph) {
        let acceptance = service.acceptanceRequired ? "acceptance required" : "auto-accept"
        graph.node("service \(service.service)", ["label": "endpoint service \(service.service)\n\(acceptance)",
                                                  "shape": "component", "style": "filled", "fillcolor": "#ffe0b2"])
    }

    // MARK: Edges

    private func drawTraffic(_ groups: [TargetGroupView], in graph: inout DotGraph) {
        let internet = report.hosts.first { $0.kind == "internet" }
        for node in report.networkLoadBalancerNodes {
            guard let internet, let elasticIP = node.elasticIP else { continue }
            graph.edge(Self.hostID(internet.name), Self.hostID(node.node), ["label": elasticIP, "color": "#3949ab", "fontcolor": "#3949ab"])
        }
        for group in groups { group.drawEdges(in: &graph) }
        for service in report.privateLink.services {
            for node in report.networkLoadBalancerNodes where service.networkLoadBalancers.contains(node.loadBalancer) {
                graph.edge("service \(service.service)", Self.hostID(node.node), ["style": "dashed"])
            }
        }
        for endpoint in report.privateLink.endpoints {
            let available = endpoint.state == "available"
            graph.edge(Self.hostID(endpoint.interface), "service \(endpoint.service)",
                       ["label": available ? "PrivateLink" : endpoint.state, "style": "dashed",
                        "color": available ? "#e65100" : "#9e9e9e", "fontcolor": available ? "#e65100" : "#757575"])
        }
    }

    /// One row of coloured cells naming the health states (fixed text: an HTML-like label).
    private func drawLegend(in graph: inout DotGraph) {
        let states: [(String, PictureHealth)] = [("healthy", .healthy), ("initial", .initial), ("draining", .draining),
                                                 ("unhealthy", .unhealthy), ("unused / unknown", .unused)]
        let cells = states.map { "<td bgcolor=\"\($0.1.fill)\" style=\"rounded\">\($0.0)</td>" }.joined()
        graph.htmlNode("legend", ["shape": "plaintext", "fontsize": "9"],
                       html: "<table border=\"0\" cellborder=\"1\" cellspacing=\"4\" cellpadding=\"3\"><tr>"
                           + "<td border=\"0\">target health</td>\(cells)</tr></table>")
    }
}

extension Sequence where Element: Hashable {
    /// The elements in their order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
