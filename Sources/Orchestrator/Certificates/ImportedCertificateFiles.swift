import Foundation
import SwiftASN1
import X509

/// Reads an imported certificate's PEM files (the `certificateFile`, `privateKeyFile` and
/// `chainFile` of a `certificates` entry) and checks them, naming the field at fault.
public enum ImportedCertificateFiles {
    public static func load(_ entry: StateFile.Certificate, now: Date = Date()) throws(CertificateError) -> ServerCertificate {
        guard let certificateFile = entry.certificateFile else {
            throw CertificateError(field: "certificateFile", "an imported certificate needs certificateFile")
        }
        guard let privateKeyFile = entry.privateKeyFile else {
            throw CertificateError(field: "privateKeyFile", "an imported certificate needs privateKeyFile")
        }
        let certificates = try certificates(in: certificateFile, field: "certificateFile")
        guard let certificate = certificates.first else {
            throw CertificateError(field: "certificateFile", "\(certificateFile) holds no certificate")
        }
        let chain = try entry.chainFile.map { path throws(CertificateError) in try Self.certificates(in: path, field: "chainFile") } ?? []
        let keyText = try text(of: privateKeyFile, field: "privateKeyFile")
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: keyText)
        } catch {
            throw CertificateError(field: "privateKeyFile", "\(privateKeyFile) holds no private key lbnet reads (PEM, RSA or ECDSA): \(error)")
        }
        return try ServerCertificate(certificate: certificate, chain: Array(certificates.dropFirst()) + chain, privateKey: key, now: now)
    }

    /// Every certificate of the PEM file at `path`, in order.
    private static func certificates(in path: String, field: String) throws(CertificateError) -> [Certificate] {
        let contents = try text(of: path, field: field)
        do {
            return try PEMDocument.parseMultiple(pemString: contents).map { try Certificate(pemDocument: $0) }
        } catch {
            throw CertificateError(field: field, "\(path) holds no PEM certificate lbnet reads: \(error)")
        }
    }

    private static func text(of path: String, field: String) throws(CertificateError) -> String {
        guard path.hasPrefix("/") else {
            throw CertificateError(field: field, "'\(path)' is not an absolute path")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CertificateError(field: field, "cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
