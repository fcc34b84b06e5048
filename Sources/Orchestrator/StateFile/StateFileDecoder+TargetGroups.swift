import Health
import Yams

extension StateFileDecoder {
    func targetGroup(_ node: Node, at path: FieldPath) -> StateFile.TargetGroup? {
        let keys = ["name", "targetType", "protocol", "protocolVersion", "port", "vpc", "healthCheck", "attributes", "targets"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let name = required(fields, "name", string)
        let targetType: StateFile.TargetType = optional(fields, "targetType", enumeration) ?? .instance
        let groupProtocol: StateFile.TrafficProtocol? = required(fields, "protocol", enumeration)
        let port = required(fields, "port", integer)
        let vpc = required(fields, "vpc", string)
        let healthCheck = optional(fields, "healthCheck", healthCheck)
        let attributes = optional(fields, "attributes", stringMap) ?? [:]
        let targets = optionalList(fields, "targets", target)
        let protocolVersion = optional(fields, "protocolVersion", string)
        guard let name, let groupProtocol, let port, let vpc else { return nil }
        return StateFile.TargetGroup(
            name: name, targetType: targetType, protocol: groupProtocol, port: port, vpc: vpc,
            healthCheck: healthCheck, attributes: attributes, targets: targets, protocolVersion: protocolVersion)
    }

    func target(_ node: Node, at path: FieldPath) -> StateFile.Target? {
        guard let fields = fields(of: node, at: path, keys: ["id", "port"]) else { return nil }
        let id = required(fields, "id", string)
        let port = optional(fields, "port", integer)
        guard let id else { return nil }
        return StateFile.Target(id: id, port: port)
    }

    func healthCheck(_ node: Node, at path: FieldPath) -> StateFile.HealthCheck? {
        let keys = [
            "protocol", "port", "path", "intervalSeconds", "timeoutSeconds", "healthyThresholdCount",
            "unhealthyThresholdCount", "matcher",
        ]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        return StateFile.HealthCheck(
            protocol: optional(fields, "protocol", enumeration),
            port: optional(fields, "port", healthCheckPort),
            path: optional(fields, "path", string),
            intervalSeconds: optional(fields, "intervalSeconds", integer),
            timeoutSeconds: optional(fields, "timeoutSeconds", integer),
            healthyThresholdCount: optional(fields, "healthyThresholdCount", integer),
            unhealthyThresholdCount: optional(fields, "unhealthyThresholdCount", integer),
            matcher: optional(fields, "matcher", httpCodeMatcher))
    }

    /// `traffic-port` or a port number (written as an integer or a string of digits).
    func healthCheckPort(_ node: Node, at path: FieldPath) -> StateFile.HealthCheckPort? {
        guard let text = string(node, at: path) else { return nil }
        if text == StateFile.HealthCheckPort.trafficPort.description {
            return .trafficPort
        }
        guard text.isDecimalNumber, let port = Int(text) else {
            report("'\(text)' is neither traffic-port nor a port number", at: path)
            return nil
        }
        return .port(port)
    }

    func httpCodeMatcher(_ node: Node, at path: FieldPath) -> HTTPCodeMatcher? {
        guard let text = string(node, at: path) else { return nil }
        guard let matcher = HTTPCodeMatcher(text) else {
            report("'\(text)' is not an HTTP code matcher like 200, 200,202 or 200-299", at: path)
            return nil
        }
        return matcher
    }
}
