/// A rule condition prepared for matching: patterns compiled, CIDRs parsed.
enum ConditionMatcher: Sendable {
    case hostHeader([WildcardPattern])
    case pathPattern([WildcardPattern])
    case httpHeader(name: String, values: [WildcardPattern])
    case httpRequestMethod(Set<String>)
    case queryString([(key: WildcardPattern?, value: WildcardPattern)])
    case sourceIP([CIDRBlock])

    /// Compiles a validated condition; CIDRs that do not parse (validation rejects them) are dropped.
    init(_ condition: RuleCondition) {
        switch condition {
        case .hostHeader(let values):
            self = .hostHeader(values.map { WildcardPattern($0, caseInsensitive: true) })
        case .pathPattern(let values):
            self = .pathPattern(values.map { WildcardPattern($0, caseInsensitive: false) })
        case .httpHeader(let name, let values):
            self = .httpHeader(name: name, values: values.map { WildcardPattern($0, caseInsensitive: true) })
        case .httpRequestMethod(let values):
            self = .httpRequestMethod(Set(values))
        case .queryString(let pairs):
            self = .queryString(
                pairs.map { pair in
                    (pair.key.map { WildcardPattern($0, caseInsensitive: true, escapes: true) },
                     WildcardPattern(pair.value, caseInsensitive: true, escapes: true))
                }
            )
        case .sourceIP(let values):
            self = .sourceIP(values.compactMap(CIDRBlock.init))
        }
    }

    /// Whether the request satisfies the condition: any one of its values matching suffices.
    func matches(_ request: RequestFacts) -> Bool {
        switch self {
        case .hostHeader(let patterns):
            guard let host = request.host else { return false }
            return patterns.contains { $0.matches(host) }
        case .pathPattern(let patterns):
            return patterns.contains { $0.matches(request.path) }
        case .httpHeader(let name, let patterns):
            return request.headers[name].contains { value in patterns.contains { $0.matches(value) } }
        case .httpRequestMethod(let methods):
            return methods.contains(request.method)
        case .queryString(let pairs):
            let parameters = request.queryParameters
            return pairs.contains { pair in
                parameters.contains { parameter in
                    (pair.key?.matches(parameter.key) ?? true) && pair.value.matches(parameter.value)
                }
            }
        case .sourceIP(let blocks):
            guard let address = request.sourceAddress else { return false }
            return blocks.contains { $0.contains(address) }
        }
    }
}
