/// Chooses the certificate of an HTTPS listener for a client's SNI name as AWS does: the first
/// certificate with the exact name, else the first whose wildcard (`*.example.test`, one
/// label) covers it, else the default certificate (the first). Names compare case-insensitively.
public struct CertificateSelector: Sendable, Equatable {
    /// The DNS names of each certificate, the default first.
    public let domainNames: [[String]]

    public init(domainNames: [[String]]) {
        self.domainNames = domainNames.map { $0.map { $0.lowercased() } }
    }

    /// The position of the certificate to present to a client that sent `serverName` (`nil`:
    /// no SNI).
    public func index(for serverName: String?) -> Int {
        guard var name = serverName?.lowercased(), !name.isEmpty else { return 0 }
        if name.hasSuffix(".") { name.removeLast() }
        if let exact = domainNames.firstIndex(where: { $0.contains(name) }) { return exact }
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return 0 }
        let wildcard = "*" + name[dot...]
        return domainNames.firstIndex(where: { $0.contains(wildcard) }) ?? 0
    }
}
