import Crypto
import Foundation
import SwiftASN1
import X509

/// The state directory's own certificate authority, which issues the certificates of the
/// `certificates` section that name `domainNames`. Created once, at `STATE/ca.pem` with its key
/// at `STATE/ca.key` (mode 0600: root's alone), and kept by `down`, so clients that trust it
/// (`curl --cacert STATE/ca.pem`) keep trusting the topology's listeners.
public struct LocalCertificateAuthority: Sendable {
    /// How long issued certificates are valid (ACM's 13 months).
    static let issuedValidity: TimeInterval = 395 * 86_400
    static let authorityValidity: TimeInterval = 10 * 365 * 86_400
    /// Certificates closer than this to their end are issued again.
    static let renewalMargin: TimeInterval = 30 * 86_400

    public let certificate: Certificate
    private let privateKey: Certificate.PrivateKey

    public static func certificatePath(in directory: StateDirectory) -> String { "\(directory.path)/ca.pem" }
    public static func privateKeyPath(in directory: StateDirectory) -> String { "\(directory.path)/ca.key" }

    /// The directory's CA, created first when it has none.
    public static func loadOrCreate(in directory: StateDirectory, now: Date = Date()) throws -> LocalCertificateAuthority {
        let certificatePath = certificatePath(in: directory), keyPath = privateKeyPath(in: directory)
        if let certificateText = FileManager.default.contents(atPath: certificatePath),
           let keyText = FileManager.default.contents(atPath: keyPath)
        {
            let certificate = try Certificate(pemEncoded: String(decoding: certificateText, as: UTF8.self))
            let key = try Certificate.PrivateKey(pemEncoded: String(decoding: keyText, as: UTF8.self))
            guard key.publicKey == certificate.publicKey else {
                throw CertificateError(field: nil, "\(keyPath) is not the key of \(certificatePath); remove both to have a new CA made")
            }
            return LocalCertificateAuthority(certificate: certificate, privateKey: key)
        }
        try directory.create()
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            OrganizationName("lbnet")
            CommonName("lbnet local CA \(directory.absolutePath)")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(authorityValidity),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            },
            issuerPrivateKey: key)
        try AtomicFile.write(Data((try key.serializeAsPEM().pemString + "\n").utf8), to: keyPath, mode: 0o600)
        try AtomicFile.write(Data((try certificate.serializeAsPEM().pemString + "\n").utf8), to: certificatePath, mode: 0o644)
        return LocalCertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// A new certificate for `domainNames` (the first is also its common name), with a new key.
    public func issue(domainNames: [String], now: Date = Date()) throws -> ServerCertificate {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName { CommonName(domainNames.first ?? "lbnet") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(Self.issuedValidity),
            issuer: self.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(domainNames.map { .dnsName($0) })
            },
            issuerPrivateKey: privateKey)
        return try ServerCertificate(certificate: certificate, privateKey: key, now: now)
    }

    /// Whether `issued` is this CA's certificate for exactly `domainNames`, far enough from its end.
    func stillServes(_ issued: ServerCertificate, for domainNames: [String], now: Date = Date()) -> Bool {
        issued.certificate.issuer == certificate.subject
            && certificate.publicKey.isValidSignature(issued.certificate.signature, for: issued.certificate)
            && issued.domainNames == domainNames
            && issued.certificate.notValidAfter > now.addingTimeInterval(Self.renewalMargin)
    }
}
