/// The attributes ELBv2 lists for each kind of object, with the value each has when the state
/// file does not set it: AWS's default where lbnet behaves as that default says, else what
/// lbnet does (an NLB node source-NATs, so `preserve_client_ip.enabled` is `false`). Network
/// load balancers' come from ``NetworkAttributeCatalog``. Describe calls answer these merged
/// with the file's `attributes`; a Modify call only writes what differs.
enum ELBv2AttributeDefaults {
    static func loadBalancer(_ balancer: StateFile.LoadBalancer) -> [(String, String)] {
        let common = [("access_logs.s3.enabled", "false"), ("access_logs.s3.bucket", ""), ("access_logs.s3.prefix", ""),
                      ("deletion_protection.enabled", "false"), ("zonal_shift.config.enabled", "false")]
        switch balancer.type {
        case .application:
            return common + [
                ("connection_logs.s3.enabled", "false"), ("connection_logs.s3.bucket", ""), ("connection_logs.s3.prefix", ""),
                ("idle_timeout.timeout_seconds", "60"), ("client_keep_alive.seconds", "3600"),
                ("routing.http.desync_mitigation_mode", "defensive"), ("routing.http.drop_invalid_header_fields.enabled", "false"),
                ("routing.http.preserve_host_header.enabled", "false"), ("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"),
                ("routing.http.xff_client_port.enabled", "false"), ("routing.http.xff_header_processing.mode", "append"),
                ("routing.http2.enabled", "true"), ("waf.fail_open.enabled", "false"), ("load_balancing.cross_zone.enabled", "true"),
            ]
        case .network:
            return NetworkAttributeCatalog.defaults(.loadBalancer, .init(scheme: balancer.scheme))
        }
    }

    /// The application load balancer attributes lbnet carries out.
    static let applicationHonoured: Set<String> = [
        "idle_timeout.timeout_seconds", "access_logs.s3.enabled", "access_logs.s3.bucket", "access_logs.s3.prefix",
        "deletion_protection.enabled",
    ]

    /// The attributes of HTTP and HTTPS target groups lbnet carries out.
    static let applicationGroupHonoured: Set<String> = [
        "deregistration_delay.timeout_seconds", "load_balancing.algorithm.type", "load_balancing.cross_zone.enabled",
    ]

    static func targetGroup(_ group: StateFile.TargetGroup) -> [(String, String)] {
        let common = [("deregistration_delay.timeout_seconds", "300"), ("stickiness.enabled", "false"),
                      ("load_balancing.cross_zone.enabled", "use_load_balancer_configuration"),
                      ("target_group_health.dns_failover.minimum_healthy_targets.count", "1"),
                      ("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"),
                      ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"),
                      ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off")]
        switch group.protocol {
        case .http, .https:
            return common + [
                ("stickiness.type", "lb_cookie"), ("stickiness.lb_cookie.duration_seconds", "86400"),
                ("stickiness.app_cookie.cookie_name", ""), ("stickiness.app_cookie.duration_seconds", "86400"),
                ("slow_start.duration_seconds", "0"), ("load_balancing.algorithm.type", "round_robin"),
                ("load_balancing.algorithm.anomaly_mitigation", "off"),
            ]
        default:
            return NetworkAttributeCatalog.defaults(.targetGroup, .init(protocol: group.protocol, targetType: group.targetType))
        }
    }

    static func listener(_ listener: StateFile.Listener) -> [(String, String)] {
        switch listener.protocol {
        case .http, .https:
            [("routing.http.response.server.enabled", "true")]
        default:
            NetworkAttributeCatalog.defaults(.listener, .init(protocol: listener.protocol))
        }
    }

    /// `defaults` with the file's values in place of theirs, in AWS's order, then any other key the file sets.
    static func merged(_ defaults: [(String, String)], _ set: [String: String]) -> [(String, String)] {
        defaults.map { key, value in (key, set[key] ?? value) }
            + set.filter { key, _ in !defaults.contains { $0.0 == key } }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
