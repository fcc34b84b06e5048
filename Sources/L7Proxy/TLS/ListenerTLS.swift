import NIOSSL

/// The TLS side of one HTTPS or TLS listener: a server context with its security policy's
/// versions and ciphers, presenting the default certificate, or the one ``CertificateSelector``
/// picks for the client's SNI name, and offering the listener's ALPN protocols. Built once per configuration; a reload builds a new one for new
/// connections while established ones keep theirs.
struct ListenerTLS: Sendable {
    let context: NIOSSLContext

    /// The context of `listener`, whose certificates are looked up in `certificates`.
    static func make(_ listener: ListenerConfiguration, certificates: [ProxyCertificate]) throws(ProxyConfigurationError) -> ListenerTLS {
        let path = "listeners[\(listener.address):\(listener.port)]"
        let policyName = listener.sslPolicy ?? SSLPolicy.defaultName
        guard let policy = SSLPolicy.named(policyName) else {
            throw .invalid(problems: ["\(path).sslPolicy: unknown security policy \"\(policyName)\""])
        }
        var loaded: [(chain: [NIOSSLCertificateSource], key: NIOSSLPrivateKeySource, names: [String])] = []
        for name in listener.certificates {
            guard let certificate = certificates.first(where: { $0.name == name }) else {
                throw .invalid(problems: ["\(path).certificates: no certificate \"\(name)\" in certificates"])
            }
            do {
                let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.certificateChain.utf8)).map { NIOSSLCertificateSource.certificate($0) }
                let key = try NIOSSLPrivateKey(bytes: Array(certificate.privateKey.utf8), format: .pem)
                loaded.append((chain, .privateKey(key), certificate.domainNames))
            } catch {
                throw .invalid(problems: ["certificates[\(name)]: cannot load its certificate chain or private key: \(error)"])
            }
        }
        guard let primary = loaded.first else {
            throw .invalid(problems: ["\(path).certificates: \(listener.protocol.rawValue) listeners need a default certificate"])
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: primary.chain, privateKey: primary.key)
        configuration.minimumTLSVersion = policy.minimumVersion.nioVersion
        configuration.maximumTLSVersion = policy.maximumVersion.nioVersion
        if !policy.ciphers.isEmpty { configuration.cipherSuites = policy.ciphers.joined(separator: ":") }
        configuration.applicationProtocols = switch listener.protocol {
        // As ALBs do: HTTP/2 to clients that ask for it, HTTP/1.1 to the others.
        case .http, .https: ["h2", "http/1.1"]
        case .tls, .tcp: (listener.alpnPolicy ?? .none).protocols
        }
        if loaded.count > 1 {
            let selector = CertificateSelector(domainNames: loaded.map(\.names))
            let overrides = loaded.map { certificate in
                var override = NIOSSLContextConfigurationOverride()
                override.certificateChain = certificate.chain
                override.privateKey = certificate.key
                return override
            }
            configuration.sslContextCallback = { values, promise in
                let index = selector.index(for: values.serverHostname)
                promise.succeed(index == 0 ? .noChanges : overrides[index])
            }
        }
        do {
            return ListenerTLS(context: try NIOSSLContext(configuration: configuration))
        } catch {
            throw .invalid(problems: ["\(path): cannot make its TLS context: \(error)"])
        }
    }
}

extension SSLPolicy.Version {
    var nioVersion: TLSVersion {
        switch self {
        case .tls1_0: .tlsv1
        case .tls1_1: .tlsv11
        case .tls1_2: .tlsv12
        case .tls1_3: .tlsv13
        }
    }
}
