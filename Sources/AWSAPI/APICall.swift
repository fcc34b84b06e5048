/// One verified API call: the service, the action and its parameters.
public struct APICall: Sendable {
    public let service: AWSService
    public let action: String
    public let parameters: QueryParameters
    public let requestId: String

    public init(service: AWSService, action: String, parameters: QueryParameters, requestId: String) {
        self.service = service
        self.action = action
        self.parameters = parameters
        self.requestId = requestId
    }
}

/// What answers API calls: returns the result elements of the response, or throws AWS's error.
public protocol APIBackend: Sendable {
    func handle(_ call: APICall) async throws(APIError) -> [XMLNode]
}
