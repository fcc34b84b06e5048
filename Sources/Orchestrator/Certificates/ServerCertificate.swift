import Foundation
import X509

/// A certificate with its private key and chain, checked: both parse, the key is the
/// certificate's, and the certificate is valid now. What a listener presents.
public struct ServerCertificate: Sendable {
    public let certificate: Certificate
    public let chain: [Certificate]
    public let privateKey: Certificate.PrivateKey

    /// Checks that `privateKey` belongs to `certificate` and that `certificate` is valid at `now`.
    public init(certificate: Certificate, chain: [Certificate] = [], privateKey: Certificate.PrivateKey, now: Date = Date())
        throws(CertificateError)
    {
        guard privateKey.publicKey == certificate.publicKey else {
            throw CertificateError(field: "privateKeyFile", "the key does not match the certificate's public key")
        }
        if certificate.notValidAfter <= now {
            throw CertificateError(field: "certificateFile", "the certificate expired on \(certificate.notValidAfter)")
        }
        if certificate.notValidBefore > now {
            throw CertificateError(field: "certificateFile", "the certificate is not valid before \(certificate.notValidBefore)")
        }
        self.certificate = certificate
        self.chain = chain
        self.privateKey = privateKey
    }

    /// The DNS names the certificate covers: its subject alternative names, or its common name
    /// when it has none.
    public var domainNames: [String] {
        let alternatives = (try? certificate.extensions.subjectAlternativeNames)??.compactMap { name -> String? in
            if case .dnsName(let dns) = name { return dns }
            return nil
        } ?? []
        if !alternatives.isEmpty { return alternatives }
        return certificate.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.commonName }.compactMap { String($0.value) }
    }

    /// The certificate followed by its chain, in PEM.
    public func certificateChainPEM() throws -> String {
        try ([certificate] + chain).map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"
    }

    public func privateKeyPEM() throws -> String {
        try privateKey.serializeAsPEM().pemString + "\n"
    }
}
