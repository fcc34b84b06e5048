/// The ALB attribute `routing.http.desync_mitigation_mode`: what the node does with a request of
/// each ``DesyncClassification/Tier``, as AWS's table says.
///
/// | classification | monitor | defensive | strictest |
/// | --- | --- | --- | --- |
/// | Compliant | allowed | allowed | allowed |
/// | Acceptable | allowed | allowed | blocked |
/// | Ambiguous | allowed | allowed, then the client and target connections close | blocked |
/// | Severe | allowed | blocked | blocked |
public enum DesyncMitigationMode: String, Codable, Sendable, CaseIterable {
    case monitor, defensive, strictest

    /// What happens to one request.
    public enum Verdict: Sendable, Equatable {
        case allow
        /// Routed, then both the client connection and the target connection are closed.
        case allowThenClose
        /// Answered 400 and the client connection closed.
        case block
    }

    public func verdict(for tier: DesyncClassification.Tier) -> Verdict {
        switch (self, tier) {
        case (_, .compliant), (.monitor, _), (.defensive, .acceptable): .allow
        case (.defensive, .ambiguous): .allowThenClose
        case (.defensive, .severe), (.strictest, _): .block
        }
    }
}
