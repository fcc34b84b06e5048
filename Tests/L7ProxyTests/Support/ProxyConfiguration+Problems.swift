@testable import L7Proxy

extension ProxyConfiguration {
    /// What ``validate()`` finds, each with its field path; empty when the configuration is valid.
    var problems: [String] {
        do {
            try validate()
            return []
        } catch {
            guard case .invalid(let problems) = error else { return ["unexpected \(error)"] }
            return problems
        }
    }
}
