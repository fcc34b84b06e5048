extension StateFile {
    /// Settings AWS allows but warns about, in its words: an NLB whose cross-zone setting
    /// differs from that of the ALB behind it (an ALB node with no usable target in its own zone
    /// answers 503 to the flows the NLB sends it, so some requests fail).
    public func warnings() -> [String] {
        var warnings: [String] = []
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
}
