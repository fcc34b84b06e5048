import AWSAPI

/// EC2's idempotency: a call that carries a `ClientToken` already answered gets the first
/// answer again instead of creating a second object. The daemon keeps tokens in memory, so a
/// retry after a daemon restart creates anew.
actor ClientTokenCache {
    private var answers: [String: [XMLNode]] = [:]

    /// The answer of `action` with `token`: the recorded one, or `make`'s (recorded when it succeeds).
    func answer(_ action: String, token: String?, _ make: () async throws(APIError) -> [XMLNode]) async throws(APIError) -> [XMLNode] {
        guard let token else { return try await make() }
        let key = "\(action)/\(token)"
        if let known = answers[key] { return known }
        let answer = try await make()
        answers[key] = answer
        return answer
    }
}
