/// Every attribute AWS lists for application load balancers and their HTTP and HTTPS target
/// groups (the ELBv2 API reference's `LoadBalancerAttribute` and `TargetGroupAttribute`), with
/// its values, AWS's default and what lbnet does with it. Listener attributes of application
/// load balancers are refused by the validator as a whole. The state-file validator, the AWS
/// API's describe and modify calls, and README's attribute table read this list.
public enum ApplicationAttributeCatalog: AttributeCatalog {
    public static let loadBalancerType = "application"
    public typealias Attribute = NetworkAttributeCatalog.Attribute
    public typealias Scope = NetworkAttributeCatalog.Scope

    public static let idleTimeout = "idle_timeout.timeout_seconds"
    public static let clientKeepAlive = "client_keep_alive.seconds"
    public static let desyncMitigationMode = "routing.http.desync_mitigation_mode"
    public static let dropInvalidHeaderFields = "routing.http.drop_invalid_header_fields.enabled"
    public static let preserveHostHeader = "routing.http.preserve_host_header.enabled"
    public static let tlsVersionAndCipherSuite = "routing.http.x_amzn_tls_version_and_cipher_suite.enabled"
    public static let xffClientPort = "routing.http.xff_client_port.enabled"
    public static let xffHeaderProcessingMode = "routing.http.xff_header_processing.mode"

    public static let deregistrationDelay = "deregistration_delay.timeout_seconds"
    public static let stickinessEnabled = "stickiness.enabled"
    public static let stickinessType = "stickiness.type"
    public static let lbCookieDuration = "stickiness.lb_cookie.duration_seconds"
    public static let appCookieName = "stickiness.app_cookie.cookie_name"
    public static let appCookieDuration = "stickiness.app_cookie.duration_seconds"
    public static let algorithm = "load_balancing.algorithm.type"
    public static let anomalyMitigation = "load_balancing.algorithm.anomaly_mitigation"
    public static let slowStart = "slow_start.duration_seconds"
    public static let crossZone = "load_balancing.cross_zone.enabled"
    public static let lambdaMultiValueHeaders = "lambda.multi_value_headers.enabled"

    /// Cookie name prefixes the load balancer keeps for itself.
    public static let reservedCookiePrefixes = ["AWSALB", "AWSALBAPP", "AWSALBTG"]

    public static let all: [Attribute] = [
        Attribute("access_logs.s3.enabled", .loadBalancer, .boolean, .accessLogRules, default: "false"),
        Attribute("access_logs.s3.bucket", .loadBalancer, .text, .accessLogRules, default: ""),
        Attribute("access_logs.s3.prefix", .loadBalancer, .text, .accessLogRules, default: ""),
        Attribute(NetworkAttributeCatalog.deletionProtection, .loadBalancer, .boolean, .implemented, default: "false"),
        Attribute("zonal_shift.config.enabled", .loadBalancer, .boolean, .defaultOnly, default: "false"),
        Attribute("ipv6.deny_all_igw_traffic", .loadBalancer, .boolean, .defaultOnly) { $0.scheme == .internal ? "true" : "false" },
        Attribute("connection_logs.s3.enabled", .loadBalancer, .boolean, .defaultOnly, default: "false"),
        Attribute("connection_logs.s3.bucket", .loadBalancer, .text, .defaultOnly, default: ""),
        Attribute("connection_logs.s3.prefix", .loadBalancer, .text, .defaultOnly, default: ""),
        Attribute("health_check_logs.s3.enabled", .loadBalancer, .boolean, .defaultOnly, default: "false"),
        Attribute("health_check_logs.s3.bucket", .loadBalancer, .text, .defaultOnly, default: ""),
        Attribute("health_check_logs.s3.prefix", .loadBalancer, .text, .defaultOnly, default: ""),
        Attribute(idleTimeout, .loadBalancer, .integer(1...4000), .implemented, default: "60"),
        Attribute(clientKeepAlive, .loadBalancer, .integer(60...604_800), .implemented, default: "3600"),
        Attribute(desyncMitigationMode, .loadBalancer, .choice(["monitor", "defensive", "strictest"]), .implemented,
                  default: "defensive"),
        Attribute(dropInvalidHeaderFields, .loadBalancer, .boolean, .implemented, default: "false"),
        Attribute(preserveHostHeader, .loadBalancer, .boolean, .implemented, default: "false"),
        Attribute(tlsVersionAndCipherSuite, .loadBalancer, .boolean, .defaultOnly, default: "false"),
        Attribute(xffClientPort, .loadBalancer, .boolean, .implemented, default: "false"),
        Attribute(xffHeaderProcessingMode, .loadBalancer, .choice(["append", "preserve", "remove"]), .implemented,
                  default: "append"),
        Attribute("routing.http2.enabled", .loadBalancer, .boolean, .defaultOnly, default: "true"),
        Attribute("waf.fail_open.enabled", .loadBalancer, .boolean, .defaultOnly, default: "false"),
        Attribute(crossZone, .loadBalancer, .boolean, .defaultOnly, default: "true"),

        Attribute(deregistrationDelay, .targetGroup, .integer(0...3600), .implemented, default: "300"),
        Attribute(stickinessEnabled, .targetGroup, .boolean, .implemented, default: "false"),
        Attribute(stickinessType, .targetGroup, .choice(["lb_cookie", "app_cookie"]), .implemented, default: "lb_cookie"),
        Attribute(lbCookieDuration, .targetGroup, .integer(1...604_800), .implemented, default: "86400"),
        Attribute(appCookieName, .targetGroup, .text, .implemented, default: ""),
        Attribute(appCookieDuration, .targetGroup, .integer(1...604_800), .implemented, default: "86400"),
        Attribute(slowStart, .targetGroup, .zeroOrInteger(30...900), .implemented, default: "0"),
        Attribute(algorithm, .targetGroup, .choice(["round_robin", "least_outstanding_requests", "weighted_random"]),
                  .implemented, default: "round_robin"),
        Attribute(anomalyMitigation, .targetGroup, .choice(["on", "off"]), .defaultOnly, default: "off"),
        Attribute(crossZone, .targetGroup, .choice(["true", "false", "use_load_balancer_configuration"]), .implemented,
                  default: "use_load_balancer_configuration"),
        Attribute(lambdaMultiValueHeaders, .targetGroup, .boolean, .lambdaTargetsOnly, default: "false"),
    ] + NetworkAttributeCatalog.targetGroupHealth

}
