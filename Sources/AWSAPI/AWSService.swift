/// The AWS services lbnet's endpoint answers, with the wire protocol each uses: the Query
/// protocol (ELBv2, STS) or the EC2 protocol.
public enum AWSService: String, Sendable, CaseIterable {
    case elasticLoadBalancingV2 = "elasticloadbalancing"
    case ec2
    case sts

    /// The API version clients send in `Version`.
    public var version: String {
        switch self {
        case .elasticLoadBalancingV2: "2015-12-01"
        case .ec2: "2016-11-15"
        case .sts: "2011-06-15"
        }
    }

    /// The XML namespace of responses (as in botocore's models).
    public var namespace: String {
        switch self {
        case .elasticLoadBalancingV2: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
        case .ec2: "http://ec2.amazonaws.com/doc/2016-11-15/"
        case .sts: "https://sts.amazonaws.com/doc/2011-06-15/"
        }
    }

    /// The service's name in messages.
    public var displayName: String {
        switch self {
        case .elasticLoadBalancingV2: "ELBv2"
        case .ec2: "EC2"
        case .sts: "STS"
        }
    }

    /// The service a request is for: the SigV4 scope's service when signed, else its `Version`.
    public static func addressed(signingName: String?, version: String?) -> AWSService? {
        if let signingName { return AWSService(rawValue: signingName) }
        return allCases.first { $0.version == version }
    }

    /// The response document of a successful call: the Query protocol wraps the result in
    /// `ActionResult` and adds `ResponseMetadata`; the EC2 protocol puts `requestId` first.
    public func response(action: String, result: [XMLNode], requestId: String) -> String {
        switch self {
        case .ec2:
            return XMLNode.element("\(action)Response", [.text("requestId", requestId)] + result).document(namespace: namespace)
        case .elasticLoadBalancingV2, .sts:
            return XMLNode.element("\(action)Response", [
                .element("\(action)Result", result),
                .element("ResponseMetadata", [.text("RequestId", requestId)]),
            ]).document(namespace: namespace)
        }
    }

    /// The error document in the service's protocol.
    public func errorResponse(_ error: APIError, requestId: String) -> String {
        switch self {
        case .ec2:
            return XMLNode.element("Response", [
                .element("Errors", [.element("Error", [.text("Code", error.code), .text("Message", error.message)])]),
                .text("RequestID", requestId),
            ]).document()
        case .elasticLoadBalancingV2, .sts:
            return XMLNode.element("ErrorResponse", [
                .element("Error", [
                    .text("Type", error.isSenderFault ? "Sender" : "Receiver"), .text("Code", error.code), .text("Message", error.message),
                ]),
                .text("RequestId", requestId),
            ]).document(namespace: namespace)
        }
    }
}
