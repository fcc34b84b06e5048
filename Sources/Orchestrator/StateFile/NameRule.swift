/// The syntax of object names and availability zones: 1 to 24 characters of `a-z`, `0-9` and `-`,
/// not starting or ending with `-`.
enum NameRule {
    static let maximumLength = 24

    /// What is wrong with `name`, or `nil` when it is valid.
    static func problem(with name: String) -> String? {
        if name.isEmpty {
            return "must not be empty"
        }
        if name.count > maximumLength {
            return "'\(name)' is \(name.count) characters long; the limit is \(maximumLength)"
        }
        if !name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            return "'\(name)' may contain only a-z, 0-9 and '-'"
        }
        if name.hasPrefix("-") || name.hasSuffix("-") {
            return "'\(name)' must not start or end with '-'"
        }
        return nil
    }
}
