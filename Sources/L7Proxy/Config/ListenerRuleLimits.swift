/// AWS's limits on the rules and actions of an Application Load Balancer's listeners, as the
/// API reference (botocore's `elbv2` service model, 2015-12-01) and the user guide state them.
/// The state-file validator and the proxy's configuration validation both ask this one place,
/// so a state file, the AWS API and a hand-written node configuration meet the same limits.
///
/// Sources, named in each comment below:
/// - *API*: the API reference shapes (`RuleCondition`, `HostHeaderConditionConfig`, ...).
/// - *Quotas*: "Quotas for your Application Load Balancers", section Rules
///   (load-balancer-limits.html#rules-quotas); none of these quotas is adjustable.
/// - *Conditions*: "Condition types for listener rules" (rule-condition-types.html), Condition basics.
/// - *Add rule*: "Add a listener rule for your Application Load Balancer" (add-rule.html).
public enum ListenerRuleLimits {
    /// Quotas: "Condition values per rule: 5" and "Match evaluations per rule: 5" (each value
    /// is one match evaluation). AWS answers "A rule can only have '5' condition values".
    public static let conditionValuesPerRule = 5
    /// Quotas: "Condition wildcards per rule: 5"; Conditions: wildcards count in `http-header`,
    /// `host-header`, `path-pattern` and `query-string` values.
    public static let wildcardsPerRule = 5
    /// API: the `Values` of every condition config: "The maximum length of each string is 128 characters."
    public static let maximumValueLength = 128
    /// API `HttpHeaderConditionConfig.HttpHeaderName`: "The maximum length is 40 characters."
    public static let maximumHeaderNameLength = 40
    /// API `HttpRequestMethodConditionConfig.Values`: "The maximum length is 40 characters."
    public static let maximumMethodLength = 40
    /// API `RedirectActionConfig`: `Host` and `Path` min 1, max 128; `Query` min 0, max 128.
    public static let redirectHostLengths = 1...128
    public static let redirectPathLengths = 1...128
    public static let redirectQueryLengths = 0...128
    /// API `FixedResponseActionConfig.MessageBody`: max 1024.
    public static let maximumMessageBodyLength = 1024
    /// API `FixedResponseActionConfig.ContentType`: valid values (max 32 characters).
    public static let fixedResponseContentTypes = [
        "text/plain", "text/css", "text/html", "application/javascript", "application/json",
    ]

    // MARK: Conditions

    /// API `HostHeaderConditionConfig`/`RuleCondition.Values`: A-Z, a-z, 0-9, `-`, `.`, `*`, `?`;
    /// Add rule adds `_`.
    private static let hostCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.*?")
    /// API `RuleCondition.Values`: A-Z, a-z, 0-9, `_ - . $ / ~ " ' @ : +`, `&`, `*`, `?`.
    private static let pathCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.$/~\"'@:+&*?")

    /// What is wrong with one value of a condition on `field` (AWS's field name), or nil.
    /// `query-string` keys and values go through `queryStringProblem`.
    public static func valueProblem(_ value: String, field: String) -> String? {
        if value.isEmpty {
            // API `RuleCondition`: "the value for a condition can't be empty".
            return "a condition value can't be empty"
        }
        switch field {
        case "http-request-method":
            return methodProblem(value)
        case "source-ip":
            return nil
        default:
            break
        }
        if value.count > maximumValueLength {
            return "'\(value.prefix(20))...' is \(value.count) characters long; the limit is \(maximumValueLength)"
        }
        switch field {
        case "host-header":
            return hostProblem(value)
        case "path-pattern":
            if let bad = value.first(where: { !pathCharacters.contains($0) }) {
                return "'\(value)' has '\(bad)'; a path pattern takes A-Z, a-z, 0-9, _-.$/~\"'@:+& and the wildcards * and ?"
            }
            return nil
        default:
            return controlCharacterProblem(value)
        }
    }

    /// A `query-string` key or value: not empty (a key may be left out), at most 128 characters,
    /// no control characters.
    public static func queryStringProblem(_ part: String, isKey: Bool) -> String? {
        if part.isEmpty { return isKey ? "a query-string key can't be empty (leave it out instead)" : "a condition value can't be empty" }
        if part.count > maximumValueLength {
            return "'\(part.prefix(20))...' is \(part.count) characters long; the limit is \(maximumValueLength)"
        }
        return controlCharacterProblem(part)
    }

    /// Conditions: "Rules are applied only to visible ASCII characters; control characters
    /// (0x00 to 0x1f and 0x7f) are excluded."
    private static func controlCharacterProblem(_ value: String) -> String? {
        guard value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return "'\(value.debugDescription.dropFirst().dropLast())' has a control character; rules apply to visible ASCII characters only"
    }

    /// API `HostHeaderConditionConfig.Values`: "You must include at least one '.' character. You
    /// can include only alphabetical characters after the final '.' character."
    private static func hostProblem(_ value: String) -> String? {
        if let bad = value.first(where: { !hostCharacters.contains($0) }) {
            return "'\(value)' has '\(bad)'; a host name takes A-Z, a-z, 0-9, '-', '_', '.' and the wildcards * and ?"
        }
        guard let lastDot = value.lastIndex(of: ".") else {
            return "'\(value)' needs at least one '.'"
        }
        let tail = value[value.index(after: lastDot)...]
        if !tail.allSatisfy({ $0.isASCII && $0.isLetter }) {
            return "'\(value)' may have only letters after its last '.'"
        }
        return nil
    }

    /// API `HttpRequestMethodConditionConfig.Values`: at most 40 characters, A-Z, `-` and `_`.
    private static func methodProblem(_ value: String) -> String? {
        let allowed = value.allSatisfy { ("A"..."Z").contains($0) || $0 == "-" || $0 == "_" }
        if !allowed || value.count > maximumMethodLength {
            return "'\(value)' is not an HTTP method name like GET (A-Z, '_' and '-', at most \(maximumMethodLength))"
        }
        return nil
    }

    /// API `HttpHeaderConditionConfig.HttpHeaderName`: at most 40 characters of an RFC 7230
    /// token, no wildcards, and not `Host` ("use a host condition").
    public static func headerNameProblem(_ name: String) -> String? {
        if name.isEmpty || !name.utf8.allSatisfy(HTTPToken.isTokenByte) {
            return "'\(name)' is not an HTTP header name (an RFC 7230 token)"
        }
        if name.count > maximumHeaderNameLength {
            return "'\(name)' is \(name.count) characters long; the limit is \(maximumHeaderNameLength)"
        }
        if name.contains("*") || name.contains("?") {
            return "'\(name)' has a wildcard; header names take none"
        }
        if name.lowercased() == "host" {
            return "an http-header condition can't match the Host header; use a host-header condition"
        }
        return nil
    }

    /// The wildcards (`*`, `?`) a value of a condition on `field` counts toward
    /// `wildcardsPerRule`; in `query-string` values `\*` and `\?` are literal characters.
    public static func wildcardCount(in value: String, field: String) -> Int {
        switch field {
        case "host-header", "path-pattern", "http-header":
            return value.reduce(0) { $0 + ($1 == "*" || $1 == "?" ? 1 : 0) }
        case "query-string":
            var count = 0
            var escaped = false
            for character in value {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "*" || character == "?" {
                    count += 1
                }
            }
            return count
        default:
            return 0
        }
    }

    /// The wildcards of one condition: its plain values and its `query-string` keys and values.
    public static func wildcardCount(values: [String], queryStrings: [(key: String?, value: String)], field: String) -> Int {
        values.reduce(0) { $0 + wildcardCount(in: $1, field: field) }
            + queryStrings.reduce(0) { total, item in
                total + wildcardCount(in: item.value, field: field) + (item.key.map { wildcardCount(in: $0, field: field) } ?? 0)
            }
    }

    /// The per-rule quotas: condition values (match evaluations) and wildcards.
    public static func ruleProblems(valueCount: Int, wildcardCount: Int) -> [String] {
        var problems: [String] = []
        if valueCount > conditionValuesPerRule {
            problems.append("a rule can only have \(conditionValuesPerRule) condition values, got \(valueCount)")
        }
        if wildcardCount > wildcardsPerRule {
            problems.append("a rule can only have \(wildcardsPerRule) wildcards (* and ?) in its conditions, got \(wildcardCount)")
        }
        return problems
    }

    // MARK: Actions

    /// The error code AWS answers a redirect that would loop with.
    public static let redirectLoopErrorCode = "InvalidLoadBalancerAction"

    /// API `RedirectActionConfig`: the placeholders each component may use.
    private static let redirectPlaceholders: [String: Set<String>] = [
        "host": ["#{host}"],
        "path": ["#{host}", "#{path}", "#{port}"],
        "query": ["#{protocol}", "#{host}", "#{port}", "#{path}", "#{query}"],
    ]

    /// What is wrong with a redirect's components, each with its field name (`nil` for the
    /// redirect as a whole). A component left out (nil) keeps the request's own, as on AWS.
    public static func redirectProblems(
        protocol: String?, host: String?, port: String?, path: String?, query: String?
    ) -> [(field: String?, message: String)] {
        var problems: [(field: String?, message: String)] = []
        // API `RedirectActionProtocol`: pattern ^(HTTPS?|#\{protocol\})$.
        if let value = `protocol`, !["HTTP", "HTTPS", "#{protocol}"].contains(value) {
            problems.append(("protocol", "'\(value)' is not HTTP, HTTPS or #{protocol}"))
        }
        // API `RedirectActionPort`: "a value from 1 to 65535 or #{port}".
        if let value = port, value != "#{port}",
            !(value.allSatisfy(\.isASCII) && Int(value).map { (1...65535).contains($0) } == true && !value.hasPrefix("+"))
        {
            problems.append(("port", "'\(value)' is neither a port number from 1 to 65535 nor #{port}"))
        }
        let lengths = [("host", host, redirectHostLengths), ("path", path, redirectPathLengths), ("query", query, redirectQueryLengths)]
        for (field, value, range) in lengths {
            guard let value else { continue }
            if !range.contains(value.count) {
                problems.append((field, "is \(value.count) characters long; it takes \(range.lowerBound) to \(range.upperBound)"))
            }
            for placeholder in placeholders(in: value) where !(redirectPlaceholders[field]?.contains(placeholder) ?? false) {
                let allowed = (redirectPlaceholders[field] ?? []).sorted().joined(separator: ", ")
                problems.append((field, "\(placeholder) can't be used here; the \(field) takes \(allowed)"))
            }
        }
        // API `RedirectActionPath`: "The absolute path, starting with the leading '/'."
        if let value = path, !value.isEmpty, !value.hasPrefix("/") {
            problems.append(("path", "'\(value)' must start with '/'"))
        }
        // API `RedirectActionQuery`: "Do not include the leading '?', as it is automatically added."
        if let value = query, value.hasPrefix("?") {
            problems.append(("query", "leave out the leading '?' (it is added)"))
        }
        // API `RedirectActionConfig`: "You must modify at least one of the following components
        // to avoid a redirect loop: protocol, hostname, port, or path." AWS's answer, whose
        // error code is `redirectLoopErrorCode`:
        if (`protocol` ?? "#{protocol}") == "#{protocol}", (host ?? "#{host}") == "#{host}",
            (port ?? "#{port}") == "#{port}", (path ?? "/#{path}") == "/#{path}"
        {
            problems.append((nil, "The redirect configuration is not valid because it creates a loop."))
        }
        return problems
    }

    /// Every `#{...}` in a redirect component.
    private static func placeholders(in value: String) -> [String] {
        var found: [String] = []
        var rest = value[...]
        while let start = rest.range(of: "#{"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            found.append(String(rest[start.lowerBound...end]))
            rest = rest[rest.index(after: end)...]
        }
        return found
    }

    /// What is wrong with a fixed response, each with its field name.
    public static func fixedResponseProblems(
        statusCode: String, contentType: String?, messageBody: String?
    ) -> [(field: String, message: String)] {
        var problems: [(field: String, message: String)] = []
        // API `FixedResponseActionStatusCode`: pattern ^(2|4|5)\d\d$.
        if statusCode.count != 3 || !statusCode.allSatisfy({ $0.isASCII && $0.isNumber }) || !"245".contains(statusCode.first ?? " ") {
            problems.append(("statusCode", "'\(statusCode)' is not a 2XX, 4XX or 5XX status code"))
        }
        if let contentType, !fixedResponseContentTypes.contains(contentType) {
            problems.append(("contentType", "'\(contentType)' is not one of \(fixedResponseContentTypes.joined(separator: ", "))"))
        }
        if let body = messageBody, body.count > maximumMessageBodyLength {
            problems.append(("messageBody", "is \(body.count) characters long; the limit is \(maximumMessageBodyLength)"))
        }
        return problems
    }
}
