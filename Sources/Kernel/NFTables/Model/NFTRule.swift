/// A rule lbnet wants in one of its chains, tagged with a userdata comment `lbnet:<purpose>`
/// that names what it is for (nft prints it as `comment "lbnet:<purpose>"`).
public struct NFTRuleSpec: Hashable, Sendable, CustomStringConvertible {
    public let chain: String
    public let purpose: String
    public let expressions: [NFTExpression]

    public init(chain: String, purpose: String, expressions: [NFTExpression]) {
        self.chain = chain
        self.purpose = purpose
        self.expressions = expressions
    }

    public static let tagPrefix = "lbnet:"

    /// The userdata comment the rule carries.
    public var comment: String { Self.tagPrefix + purpose }

    /// Names of the sets and maps the rule's lookups use (a map in use cannot be deleted).
    public var referencedMaps: Set<String> {
        Set(expressions.compactMap { expression in
            if case .lookup(_, let set, _) = expression { set } else { nil }
        })
    }

    public var description: String { "rule \(chain) \"\(comment)\"" }
}

/// A rule as read back from the kernel: its chain, handle, userdata comment and expressions.
public struct NFTRuleState: Hashable, Sendable {
    public let chain: String
    public let handle: UInt64
    public let comment: String?
    public let expressions: [NFTExpression]

    public init(chain: String, handle: UInt64, comment: String?, expressions: [NFTExpression]) {
        self.chain = chain
        self.handle = handle
        self.comment = comment
        self.expressions = expressions
    }

    /// Whether this is `spec`: same chain, tag and expressions.
    public func matches(_ spec: NFTRuleSpec) -> Bool {
        chain == spec.chain && comment == spec.comment && expressions == spec.expressions
    }

    public var referencedMaps: Set<String> {
        Set(expressions.compactMap { expression in
            if case .lookup(_, let set, _) = expression { set } else { nil }
        })
    }
}
