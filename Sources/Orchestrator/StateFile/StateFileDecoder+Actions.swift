import Yams

extension StateFileDecoder {
    func action(_ node: Node, at path: FieldPath) -> StateFile.Action? {
        let keys = ["type", "targetGroupName", "forwardConfig", "redirectConfig", "fixedResponseConfig"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let type: StateFile.ActionType? = required(fields, "type", enumeration)
        let targetGroupName = optional(fields, "targetGroupName", string)
        let forwardConfig = optional(fields, "forwardConfig", forwardConfig)
        let redirectConfig = optional(fields, "redirectConfig", redirectConfig)
        let fixedResponseConfig = optional(fields, "fixedResponseConfig", fixedResponseConfig)
        guard let type else { return nil }
        return StateFile.Action(
            type: type, targetGroupName: targetGroupName, forwardConfig: forwardConfig,
            redirectConfig: redirectConfig, fixedResponseConfig: fixedResponseConfig)
    }

    func forwardConfig(_ node: Node, at path: FieldPath) -> StateFile.ForwardConfig? {
        let keys = ["targetGroups", "targetGroupStickinessConfig"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let targetGroups = requiredList(fields, "targetGroups", weightedTargetGroup)
        let stickiness = optional(fields, "targetGroupStickinessConfig", stickinessConfig)
        guard let targetGroups else { return nil }
        return StateFile.ForwardConfig(targetGroups: targetGroups, targetGroupStickinessConfig: stickiness)
    }

    func weightedTargetGroup(_ node: Node, at path: FieldPath) -> StateFile.WeightedTargetGroup? {
        guard let fields = fields(of: node, at: path, keys: ["targetGroupName", "weight"]) else { return nil }
        let name = required(fields, "targetGroupName", string)
        let weight = optional(fields, "weight", integer) ?? StateFile.WeightedTargetGroup.defaultWeight
        guard let name else { return nil }
        return StateFile.WeightedTargetGroup(targetGroupName: name, weight: weight)
    }

    func stickinessConfig(_ node: Node, at path: FieldPath) -> StateFile.TargetGroupStickinessConfig? {
        guard let fields = fields(of: node, at: path, keys: ["enabled", "durationSeconds"]) else { return nil }
        let enabled = required(fields, "enabled", boolean)
        let duration = optional(fields, "durationSeconds", integer)
        guard let enabled else { return nil }
        return StateFile.TargetGroupStickinessConfig(enabled: enabled, durationSeconds: duration)
    }

    func redirectConfig(_ node: Node, at path: FieldPath) -> StateFile.RedirectConfig? {
        let keys = ["protocol", "host", "port", "path", "query", "statusCode"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let redirectProtocol = optional(fields, "protocol", string)
        let host = optional(fields, "host", string)
        let port = optional(fields, "port", string)
        let redirectPath = optional(fields, "path", string)
        let query = optional(fields, "query", string)
        let statusCode: StateFile.RedirectStatusCode? = required(fields, "statusCode", enumeration)
        guard let statusCode else { return nil }
        return StateFile.RedirectConfig(
            protocol: redirectProtocol, host: host, port: port, path: redirectPath, query: query,
            statusCode: statusCode)
    }

    func fixedResponseConfig(_ node: Node, at path: FieldPath) -> StateFile.FixedResponseConfig? {
        let keys = ["statusCode", "contentType", "messageBody"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let statusCode = required(fields, "statusCode", string)
        let contentType = optional(fields, "contentType", string)
        let messageBody = optional(fields, "messageBody", string)
        guard let statusCode else { return nil }
        return StateFile.FixedResponseConfig(statusCode: statusCode, contentType: contentType, messageBody: messageBody)
    }
}
