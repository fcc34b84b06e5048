import Kernel

/// AWS's NLB quotas: at most 50 listeners per load balancer, and at most 500 targets per AZ,
/// lowered by 50 for each registered ALB when cross-zone is off and by 100 when it is on. With
/// cross-zone on, every target counts in every AZ of the load balancer.
extension StateFileValidator {
    static let maximumListenersPerNetworkLoadBalancer = 50
    static let maximumTargetsPerZone = 500

    mutating func validateQuotas() {
        for (position, balancer) in file.loadBalancers.enumerated() where balancer.type == .network {
            let path = FieldPath.root.key("loadBalancers").index(position)
            if balancer.listeners.count > Self.maximumListenersPerNetworkLoadBalancer {
                report("TooManyListeners: \(balancer.listeners.count) listeners; a network load balancer has at most "
                       + "\(Self.maximumListenersPerNetworkLoadBalancer)", at: path.key("listeners"))
            }
            checkTargetsPerZone(of: balancer, at: path)
        }
    }

    private mutating func checkTargetsPerZone(of balancer: StateFile.LoadBalancer, at path: FieldPath) {
        let zones = balancer.subnetNames.compactMap { index.subnets[$0]?.subnet.az }
        let lbCrossZone = balancer.attributes["load_balancing.cross_zone.enabled"] == "true"
        var perZone: [String: Int] = [:]
        var albs = 0
        let groupNames = Set(balancer.listeners.flatMap { $0.defaultActions.flatMap(\.forwardTargets).map(\.targetGroupName) })
        for group in file.targetGroups where groupNames.contains(group.name) {
            let crossZone = switch group.attributes["load_balancing.cross_zone.enabled"] {
            case "true": true
            case "false": false
            default: lbCrossZone
            }
            if group.targetType == .alb {
                albs += group.targets.count
                continue
            }
            for target in group.targets {
                guard let zone = zone(of: target, in: group) else { continue }
                for counted in crossZone ? zones : [zone] { perZone[counted, default: 0] += 1 }
            }
        }
        let quota = Self.maximumTargetsPerZone - albs * (lbCrossZone ? 100 : 50)
        for zone in zones.sorted() where perZone[zone, default: 0] + albs > quota {
            report("TooManyTargets: \(perZone[zone, default: 0] + albs) targets in \(zone); the quota is \(quota) "
                   + "(\(Self.maximumTargetsPerZone) per AZ, less \(lbCrossZone ? 100 : 50) for each of \(albs) registered ALBs)",
                   at: path)
        }
    }

    private func zone(of target: StateFile.Target, in group: StateFile.TargetGroup) -> String? {
        switch group.targetType {
        case .instance:
            return index.instances[target.id].flatMap { index.subnets[file.instances[$0].subnet]?.subnet.az }
        case .ip:
            guard let address = IPv4Address(target.id) else { return nil }
            return file.vpcs.first { $0.name == group.vpc }?.subnets.first { $0.cidr.contains(address) }?.az
        case .alb:
            return nil
        }
    }
}
