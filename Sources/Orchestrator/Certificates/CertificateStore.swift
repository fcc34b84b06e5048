import Foundation
import L7Proxy
import X509

/// The certificates of a state file as listeners present them: imported ones read from their
/// files, issued ones kept under `STATE/certificates/NAME.pem` (key `NAME.key`, mode 0600) and
/// issued again by the local CA only when their names change, the CA changed, or they near
/// their end; so a second `up` changes nothing.
public struct CertificateStore: Sendable {
    public let directory: StateDirectory

    public init(directory: StateDirectory) { self.directory = directory }

    var issuedPath: String { "\(directory.path)/certificates" }

    /// The PEM material of the certificates called `names`, for a proxy configuration.
    public func proxyCertificates(named names: some Sequence<String>, in file: StateFile) throws -> [ProxyCertificate] {
        var authority: LocalCertificateAuthority?
        return try Set(names).sorted().map { name in
            guard let entry = file.certificates.first(where: { $0.name == name }) else {
                throw CertificateError(field: nil, "no certificate named '\(name)'")
            }
            let server: ServerCertificate
            if entry.isIssued {
                let ca = try authority ?? LocalCertificateAuthority.loadOrCreate(in: directory)
                authority = ca
                server = try issued(entry, by: ca)
            } else {
                server = try ImportedCertificateFiles.load(entry)
            }
            return ProxyCertificate(name: name, domainNames: server.domainNames, certificateChain: try server.certificateChainPEM(), privateKey: try server.privateKeyPEM())
        }
    }

    /// Where the certificate of instance `name`'s built-in HTTPS server is kept (its key beside it).
    public func instanceCertificatePath(_ name: String) -> String { "\(issuedPath)/instances/\(name).pem" }
    public func instanceKeyPath(_ name: String) -> String { "\(issuedPath)/instances/\(name).key" }

    /// Issues (or keeps) the certificate of every host whose built-in target server serves
    /// HTTPS, for the host's name, from the local CA; targets' certificates are not verified by
    /// ELB nodes, so any name would do, and the host's name is what a client would check.
    public func issueInstanceCertificates(for topology: Topology) throws {
        var authority: LocalCertificateAuthority?
        for host in topology.hosts {
            guard case .builtinTarget(_, true) = host.run else { continue }
            let ca = try authority ?? LocalCertificateAuthority.loadOrCreate(in: directory)
            authority = ca
            try issueInstanceCertificate(for: host.name, by: ca)
        }
    }

    /// Issues (or keeps) the certificate of a built-in target server named `name` from the
    /// local CA (made when the state directory has none), at ``instanceCertificatePath(_:)``.
    public func issueInstanceCertificate(for name: String, by authority: LocalCertificateAuthority? = nil) throws {
        let ca = try authority ?? LocalCertificateAuthority.loadOrCreate(in: directory)
        _ = try issued(domainNames: [name], certificatePath: instanceCertificatePath(name), keyPath: instanceKeyPath(name), by: ca)
    }

    /// The stored certificate of `entry` while `authority` still vouches for it; a new one otherwise.
    private func issued(_ entry: StateFile.Certificate, by authority: LocalCertificateAuthority) throws -> ServerCertificate {
        try issued(domainNames: entry.domainNames, certificatePath: "\(issuedPath)/\(entry.name).pem",
                   keyPath: "\(issuedPath)/\(entry.name).key", by: authority)
    }

    /// The certificate at `certificatePath` while `authority` still vouches for it for
    /// `domainNames`; a new one, written there (key 0600), otherwise.
    private func issued(domainNames: [String], certificatePath: String, keyPath: String,
                        by authority: LocalCertificateAuthority) throws -> ServerCertificate {
        if let certificateData = FileManager.default.contents(atPath: certificatePath),
           let keyData = FileManager.default.contents(atPath: keyPath),
           let certificate = try? Certificate(pemEncoded: String(decoding: certificateData, as: UTF8.self)),
           let key = try? Certificate.PrivateKey(pemEncoded: String(decoding: keyData, as: UTF8.self)),
           let stored = try? ServerCertificate(certificate: certificate, privateKey: key),
           authority.stillServes(stored, for: domainNames)
        {
            return stored
        }
        let server = try authority.issue(domainNames: domainNames)
        try FileManager.default.createDirectory(atPath: (certificatePath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try AtomicFile.write(Data(try server.privateKeyPEM().utf8), to: keyPath, mode: 0o600)
        try AtomicFile.write(Data(try server.certificateChainPEM().utf8), to: certificatePath, mode: 0o644)
        return server
    }
}
