import L7Proxy

/// The ALB attributes that decide how non-compliant requests are treated,
/// `routing.http.desync_mitigation_mode` and `routing.http.drop_invalid_header_fields.enabled`,
/// read from the state file with AWS's defaults (`defensive`, `false`).
enum RequestHandlingAttributes {
    static let desyncMitigationMode = ApplicationAttributeCatalog.desyncMitigationMode
    static let dropInvalidHeaderFields = ApplicationAttributeCatalog.dropInvalidHeaderFields

    static func configuration(of balancer: StateFile.LoadBalancer) throws(ApplicationLoadBalancerConfigError) -> RequestHandlingConfiguration {
        let owner = "loadBalancers '\(balancer.name)'"
        var configuration = RequestHandlingConfiguration()
        if let value = balancer.attributes[desyncMitigationMode] {
            guard let mode = DesyncMitigationMode(rawValue: value) else {
                throw .invalidAttribute(owner: owner, key: desyncMitigationMode, value: value, expected: "monitor, defensive or strictest")
            }
            configuration.desyncMitigationMode = mode
        }
        switch balancer.attributes[dropInvalidHeaderFields] {
        case nil, "false": break
        case "true": configuration.dropInvalidHeaderFields = true
        case let value?:
            throw .invalidAttribute(owner: owner, key: dropInvalidHeaderFields, value: value, expected: "true or false")
        }
        return configuration
    }
}
