import Health
import Kernel
import L7Proxy

/// Builds one target group of an ALB node's proxy configuration: its protocol (HTTP or HTTPS)
/// and protocol version,
/// its attributes, its health check with AWS's ALB defaults (the group's protocol, path `/`,
/// interval 30 s, timeout 5 s, healthy 5, unhealthy 2, matcher `200`) for every unset key, and
/// its targets with addresses and zones from the topology.
struct TargetGroupConfigurationBuilder {
    let group: StateFile.TargetGroup
    let topology: Topology

    func configuration() throws(ApplicationLoadBalancerConfigError) -> TargetGroupConfiguration {
        TargetGroupConfiguration(
            name: group.name, protocol: group.protocol == .https ? .https : .http, port: group.port,
            algorithm: try ApplicationLoadBalancerAttributes.algorithm(of: group),
            crossZoneEnabled: try ApplicationLoadBalancerAttributes.crossZoneEnabled(of: group),
            healthCheck: healthCheck(),
            deregistrationDelaySeconds: try ApplicationLoadBalancerAttributes.deregistrationDelaySeconds(of: group),
            targets: group.targets.compactMap(target),
            stickiness: try ApplicationLoadBalancerAttributes.stickiness(of: group),
            slowStartSeconds: try ApplicationLoadBalancerAttributes.slowStartSeconds(of: group),
            protocolVersion: group.protocolVersion == "HTTP2" ? .http2 : nil)
    }

    private func healthCheck() -> HealthCheckConfiguration {
        let probe: HealthCheckProtocol = (group.healthCheck?.protocol ?? StateFileValidator.defaultHealthCheckProtocol(for: group)) == .https
            ? .https : .http
        let defaults = HealthCheckConfiguration(protocol: probe)
        guard let check = group.healthCheck else { return defaults }
        return HealthCheckConfiguration(
            enabled: true, protocol: probe, path: check.path ?? defaults.path, port: check.port?.description ?? defaults.port,
            intervalSeconds: check.intervalSeconds ?? defaults.intervalSeconds,
            timeoutSeconds: check.timeoutSeconds ?? defaults.timeoutSeconds,
            healthyThreshold: check.healthyThresholdCount ?? defaults.healthyThreshold,
            unhealthyThreshold: check.unhealthyThresholdCount ?? defaults.unhealthyThreshold,
            matcher: check.matcher?.description ?? defaults.matcher)
    }

    /// An instance target at its host's address and zone, or an IP target in the zone of the
    /// VPC subnet holding it (`all` outside every subnet, as AWS names such targets' zone).
    private func target(_ target: StateFile.Target) -> TargetConfiguration? {
        let port = target.port ?? group.port
        switch group.targetType {
        case .instance:
            guard let host = topology.host(named: target.id) else { return nil }
            return TargetConfiguration(id: target.id, address: host.address.address.description, port: port,
                                       availabilityZone: host.az)
        case .ip:
            guard let address = IPv4Address(target.id) else { return nil }
            let subnet = topology.vpcs.first { $0.name == group.vpc }?.subnets.first { $0.cidr.contains(address) }
            return TargetConfiguration(id: target.id, address: target.id, port: port, availabilityZone: subnet?.az ?? "all")
        case .alb:
            return nil
        }
    }
}
