/// How AWS's HTTP desync guardian classifies a request, with the reason AWS writes in the access
/// log's `classification_reason`: `Compliant`, `Acceptable`, `Ambiguous` or `Severe`. The first
/// reason found at the highest tier is kept.
public struct DesyncClassification: Sendable, Equatable {
    /// The classification tiers, in rising order of risk.
    public enum Tier: Int, Comparable, Sendable {
        case compliant, acceptable, ambiguous, severe

        public static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The access log's `classification`: nil (written `-`) for compliant requests.
        public var logName: String? {
            switch self {
            case .compliant: nil
            case .acceptable: "Acceptable"
            case .ambiguous: "Ambiguous"
            case .severe: "Severe"
            }
        }
    }

    /// AWS's classification reasons.
    public enum Reason: String, Sendable {
        case compliant = "Compliant"
        // Acceptable
        case nonCompliantHeader = "NonCompliantHeader"
        case spaceInUri = "SpaceInUri"
        case nonCompliantVersion = "NonCompliantVersion"
        case getHeadZeroContentLength = "GetHeadZeroContentLength"
        case nonCrLfLineTermination = "NonCrLfLineTermination"
        // Ambiguous
        case emptyHeader = "EmptyHeader"
        case ambiguousUri = "AmbiguousUri"
        case undefinedContentLengthSemantics = "UndefinedContentLengthSemantics"
        case undefinedTransferEncodingSemantics = "UndefinedTransferEncodingSemantics"
        case duplicateContentLength = "DuplicateContentLength"
        case bothTeClPresent = "BothTeClPresent"
        case suspiciousHeader = "SuspiciousHeader"
        case multilineHeader = "MultilineHeader"
        case missingHeaderColon = "MissingHeaderColon"
        case missingUri = "MissingUri"
        // Severe
        case badHeader = "BadHeader"
        case badUri = "BadUri"
        case badVersion = "BadVersion"
        case multipleContentLength = "MultipleContentLength"
        case badContentLength = "BadContentLength"
        case multipleTransferEncodingChunked = "MultipleTransferEncodingChunked"
        case badTransferEncoding = "BadTransferEncoding"
        case badMethod = "BadMethod"
    }

    public private(set) var tier: Tier
    public private(set) var reason: Reason

    public init(tier: Tier = .compliant, reason: Reason = .compliant) {
        self.tier = tier
        self.reason = reason
    }

    public static let compliant = DesyncClassification()

    /// Raises the classification to `tier` for `reason`, unless it is already that high.
    mutating func raise(_ tier: Tier, _ reason: Reason) {
        guard tier > self.tier else { return }
        self.tier = tier
        self.reason = reason
    }

    /// The access log's `classification_reason`: nil (written `-`) for compliant requests.
    public var logReason: String? { tier == .compliant ? nil : reason.rawValue }
}
