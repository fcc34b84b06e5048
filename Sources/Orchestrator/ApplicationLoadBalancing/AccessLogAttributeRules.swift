/// AWS's rules for the `access_logs.s3.*` attributes of a load balancer, and lbnet's: the
/// problems of one load balancer's values, each with the attribute it concerns.
enum AccessLogAttributeRules {
    struct Problem: Equatable {
        let key: String
        let message: String
    }

    static func problems(attributes: [String: String], isApplication: Bool) -> [Problem] {
        var problems: [Problem] = []
        let enabled = attributes[AccessLogLocation.enabledKey]
        if let enabled, enabled != "true", enabled != "false" {
            problems.append(Problem(key: AccessLogLocation.enabledKey, message: "'\(enabled)' is not true or false"))
        }
        if enabled == "true" {
            if !isApplication {
                problems.append(Problem(key: AccessLogLocation.enabledKey,
                                        message: "lbnet writes access logs for application load balancers only"))
            } else if (attributes[AccessLogLocation.bucketKey] ?? "").isEmpty {
                problems.append(Problem(key: AccessLogLocation.bucketKey,
                                        message: "a bucket is required when \(AccessLogLocation.enabledKey) is true"))
            }
        }
        if let bucket = attributes[AccessLogLocation.bucketKey], !bucket.isEmpty, let reason = bucketNameProblem(bucket) {
            problems.append(Problem(key: AccessLogLocation.bucketKey, message: "'\(bucket)' is not a valid bucket name: \(reason)"))
        }
        if let prefix = attributes[AccessLogLocation.prefixKey], let reason = prefixProblem(prefix) {
            problems.append(Problem(key: AccessLogLocation.prefixKey, message: "'\(prefix)' \(reason)"))
        }
        return problems
    }

    /// S3's bucket naming rules (general purpose buckets).
    static func bucketNameProblem(_ name: String) -> String? {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
        if !(3...63).contains(name.count) { return "it must be 3-63 characters long" }
        if !allowed { return "it may hold only lowercase letters, digits, '.' and '-'" }
        if let first = name.first, let last = name.last, !(first.isLetter || first.isNumber) || !(last.isLetter || last.isNumber) {
            return "it must begin and end with a letter or digit"
        }
        if name.contains("..") { return "it must not hold two adjacent periods" }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) && Int($0)! <= 255 }) {
            return "it must not be formatted as an IP address"
        }
        for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(prefix) {
            return "it must not start with '\(prefix)'"
        }
        for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where name.hasSuffix(suffix) {
            return "it must not end with '\(suffix)'"
        }
        return nil
    }

    /// AWS: the prefix must not start with `/` nor include `AWSLogs`. lbnet makes each part
    /// between slashes a directory, so parts may not be empty, `.` or `..`.
    static func prefixProblem(_ prefix: String) -> String? {
        if prefix.isEmpty { return nil }
        if prefix.hasPrefix("/") { return "must not start with '/'" }
        if prefix.contains("AWSLogs") { return "must not include 'AWSLogs'" }
        if prefix.utf8.count > 1024 { return "is longer than 1024 bytes" }
        if prefix.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "has an empty, '.' or '..' part between slashes (lbnet makes each part a directory)"
        }
        return nil
    }
}
