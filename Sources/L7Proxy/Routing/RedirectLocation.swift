/// Builds the `Location` of a redirect action from the request, following AWS: components are
/// `protocol://host:port/path?query`, and the placeholders expand once (values that contain
/// `#{...}` are not expanded again).
struct RedirectLocation {
    /// The request's side of the placeholders.
    struct Original {
        /// `http` or `https`.
        var `protocol`: String
        var host: String
        var port: Int
        /// The path with its leading `/`.
        var path: String
        var query: String?
    }

    static func build(_ redirect: RedirectAction, for original: Original) -> String {
        let values = [
            "protocol": original.protocol,
            "host": original.host,
            "port": String(original.port),
            "path": String(original.path.dropFirst(original.path.hasPrefix("/") ? 1 : 0)),
            "query": original.query ?? "",
        ]
        let scheme = redirect.protocol == "#{protocol}" ? original.protocol : redirect.protocol.lowercased()
        let host = expand(redirect.host, values)
        let port = redirect.port == "#{port}" ? String(original.port) : redirect.port
        let path = expand(redirect.path, values)
        let query = expand(redirect.query, values)
        return "\(scheme)://\(host):\(port)\(path)" + (query.isEmpty ? "" : "?\(query)")
    }

    /// Replaces each `#{name}` whose name is in `values`; other text is kept as written.
    static func expand(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.range(of: "#{") {
            result += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}"), let value = values[String(afterOpen[..<close])] else {
                result += "#{"
                rest = afterOpen
                continue
            }
            result += value
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return result + rest
    }
}
