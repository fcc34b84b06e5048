extension StateFile {
    /// Settings AWS allows but warns about, in its words: an NLB whose cross-zone setting
    /// differs from that of the ALB behind it (an ALB node with no usable target in its own zone
    /// answers 503 to the flows the NLB sends it, so some requests fail). And where lbnet does
    /// less than AWS by default: a TLS listener forwarding to a TCP group that preserves client
    /// addresses by default (its targets see the node's address: the TLS terminator connects
    /// from it).
    public func warnings() -> [String] {
        var warnings: [String] = []
        for group in targetGroups where group.protocol == .tcp && group.attributes["preserve_client_ip.enabled"] == nil
            && group.targetType != .ip && isForwardedByTLSListener(group.name) {
            warnings.append(
                "target group '\(group.name)' is forwarded to by a TLS listener: its targets see the NLB node's address, not the "
                + "client's (lbnet's TLS terminator connects from the node; AWS would preserve it by default)")
        }
        for nlb in loadBalancers where nlb.type == .network {
            let nlbCrossZone = nlb.attributes["load_balancing.cross_zone.enabled"] == "true"
            let groups = Set(nlb.listeners.flatMap { $0.defaultActions.flatMap(\.forwardTargets).map(\.targetGroupName) })
            for group in targetGroups where groups.contains(group.name) && group.targetType == .alb {
                for target in group.targets {
                    guard let alb = loadBalancers.first(where: { $0.name == target.id && $0.type == .application }) else { continue }
                    let albGroups = Set(alb.listeners.flatMap { listener in
                        (listener.defaultActions + listener.rules.flatMap(\.actions)).flatMap(\.forwardTargets).map(\.targetGroupName)
                    })
                    for albGroup in targetGroups where albGroups.contains(albGroup.name) {
                        let albCrossZone = albGroup.attributes["load_balancing.cross_zone.enabled"] != "false"
                        guard albCrossZone != nlbCrossZone else { continue }
                        warnings.append(
                            "load balancer '\(nlb.name)' has cross-zone load balancing \(nlbCrossZone ? "on" : "off") but target group "
                            + "'\(albGroup.name)' of its target '\(alb.name)' has it \(albCrossZone ? "on" : "off"): the NLB and the ALB "
                            + "should use the same cross-zone setting, or an ALB node with no healthy target in its zone answers 503")
                    }
                }
            }
        }
        return warnings
    }

    /// Whether a TLS listener of a network load balancer forwards to `group`.
    func isForwardedByTLSListener(_ group: String) -> Bool {
        loadBalancers.contains { balancer in
            balancer.type == .network && balancer.listeners.contains { listener in
                listener.protocol == .tls && listener.defaultActions.flatMap(\.forwardTargets).contains { $0.targetGroupName == group }
            }
        }
    }
}
