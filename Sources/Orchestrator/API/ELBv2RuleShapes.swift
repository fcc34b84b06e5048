import AWSAPI

/// How ELBv2 answers show actions and rule conditions: every action with its `Order` and its
/// whole configuration (a redirect's unset parts as AWS's `#{...}` defaults), every condition
/// both in the old `Values` form and in its `...Config` form.
struct ELBv2RuleShapes {
    let identity: AWSIdentity

    func actions(_ actions: [StateFile.Action]) -> [[XMLNode]] {
        actions.enumerated().map { index, action in
            var fields: [XMLNode] = [.text("Type", action.type.rawValue), .text("Order", String(index + 1))]
            let forwards = action.forwardTargets
            if forwards.count == 1, let only = forwards.first, action.targetGroupName != nil || only.weight == 1 {
                fields.append(.text("TargetGroupArn", identity.targetGroupArn(only.targetGroupName)))
            }
            if !forwards.isEmpty {
                fields.append(.element("ForwardConfig", [XMLNode.members("TargetGroups", forwards.map { forward in
                    [XMLNode.text("TargetGroupArn", identity.targetGroupArn(forward.targetGroupName)), .text("Weight", String(forward.weight))]
                }), .element("TargetGroupStickinessConfig", [.text("Enabled", "false")])]))
            }
            if let fixed = action.fixedResponseConfig {
                fields.append(.element("FixedResponseConfig", XMLNode.field("MessageBody", fixed.messageBody)
                    + [.text("StatusCode", fixed.statusCode)] + XMLNode.field("ContentType", fixed.contentType)))
            }
            if let redirect = action.redirectConfig {
                fields.append(.element("RedirectConfig", [
                    .text("Protocol", redirect.protocol ?? "#{protocol}"), .text("Port", redirect.port ?? "#{port}"),
                    .text("Host", redirect.host ?? "#{host}"), .text("Path", redirect.path ?? "/#{path}"),
                    .text("Query", redirect.query ?? "#{query}"), .text("StatusCode", redirect.statusCode.rawValue),
                ]))
            }
            return fields
        }
    }

    func conditions(_ conditions: [StateFile.RuleCondition]) -> [[XMLNode]] {
        conditions.map { condition in
            var fields: [XMLNode] = [.text("Field", condition.field.rawValue)]
            switch condition.field {
            case .hostHeader:
                fields += [.members("Values", texts: condition.values), .element("HostHeaderConfig", [.members("Values", texts: condition.values)])]
            case .pathPattern:
                fields += [.members("Values", texts: condition.values), .element("PathPatternConfig", [.members("Values", texts: condition.values)])]
            case .httpHeader:
                fields.append(.element("HttpHeaderConfig", XMLNode.field("HttpHeaderName", condition.httpHeaderName) + [.members("Values", texts: condition.values)]))
            case .httpRequestMethod:
                fields.append(.element("HttpRequestMethodConfig", [.members("Values", texts: condition.values)]))
            case .sourceIP:
                fields.append(.element("SourceIpConfig", [.members("Values", texts: condition.values)]))
            case .queryString:
                fields.append(.element("QueryStringConfig", [.members("Values", condition.queryStringValues.map { pair in
                    XMLNode.field("Key", pair.key) + [.text("Value", pair.value)]
                })]))
            }
            return fields
        }
    }
}
