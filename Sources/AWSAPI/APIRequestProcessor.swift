import Foundation

/// Turns one HTTP request into one HTTP answer: checks the signature, finds the service and the
/// action, has the backend carry it out, and writes the XML of the service's protocol. Pure
/// of the network: the server hands it whole requests.
public struct APIRequestProcessor: Sendable {
    public let authentication: APIAuthentication
    public let backend: any APIBackend

    public init(authentication: APIAuthentication, backend: any APIBackend) {
        self.authentication = authentication
        self.backend = backend
    }

    /// The HTTP status and XML body answering `request`.
    public func process(_ request: SignedRequest, now: Date = Date()) async -> (status: Int, body: String) {
        let requestId = UUID().uuidString.lowercased()
        var service = AWSService.elasticLoadBalancingV2
        do throws(APIError) {
            var signingName: String?
            if case .signatureV4(let verifier) = authentication {
                signingName = try verifier.verify(request, now: now).service
            }
            let form = request.method == "POST" ? String(decoding: request.body, as: UTF8.self) : ""
            var parameters = try QueryParameters(formEncoded: request.query)
            for (key, value) in try QueryParameters(formEncoded: form).values { parameters = parameters.setting(key, value) }
            guard let addressed = AWSService.addressed(signingName: signingName, version: parameters["Version"]) else {
                throw APIError("InvalidAction", "lbnet answers ELBv2, EC2 and STS; this request names '\(signingName ?? parameters["Version"] ?? "no service")'")
            }
            service = addressed
            guard request.method == "POST" || request.method == "GET" else {
                throw APIError("InvalidHttpRequest", "The HTTP method \(request.method) is not allowed; use POST", status: 405)
            }
            let action = try parameters.required("Action")
            if let version = parameters["Version"], version != service.version {
                throw APIError("InvalidParameterValue", "Version \(version) is not \(service.displayName)'s API version \(service.version)")
            }
            let result = try await backend.handle(APICall(service: service, action: action, parameters: parameters, requestId: requestId))
            return (200, service.response(action: action, result: result, requestId: requestId))
        } catch {
            return (error.status, service.errorResponse(error, requestId: requestId))
        }
    }
}

extension QueryParameters {
    func setting(_ key: String, _ value: String) -> QueryParameters {
        var copy = values
        copy[key] = value
        return QueryParameters(copy)
    }
}
