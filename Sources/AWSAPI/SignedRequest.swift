/// An HTTP request as SigV4 sees it: method, path, raw query string, headers and body.
public struct SignedRequest: Sendable {
    public let method: String
    public let path: String
    /// The query string as sent (percent-encoded), without `?`.
    public let query: String
    /// Header names as sent; repeated names are kept in order.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The values of header `name` (any case), joined with commas as HTTP folds them.
    public func header(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}
