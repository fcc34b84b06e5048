import L7Proxy

extension StateFileValidator {
    /// The `certificates` section (names, either domain names to issue or PEM files that check
    /// out) and what refers to it: HTTPS and TLS listeners' certificates, security policies and
    /// (TLS) ALPN policies.
    mutating func validateCertificates() {
        var names: [String: FieldPath] = [:]
        for (position, certificate) in file.certificates.enumerated() {
            let path = Self.path("certificates", position)
            if let problem = NameRule.problem(with: certificate.name) {
                report(problem, at: path.key("name"))
            } else if let owner = names[certificate.name] {
                report("duplicate name '\(certificate.name)': already used by \(owner)", at: path.key("name"))
            } else {
                names[certificate.name] = path
            }
            checkSource(of: certificate, at: path)
        }
        for (balancerPosition, balancer) in file.loadBalancers.enumerated() {
            for (position, listener) in balancer.listeners.enumerated() {
                checkTLS(of: listener, known: names, at: Self.path("loadBalancers", balancerPosition).key("listeners").index(position))
            }
        }
    }

    /// Either `domainNames` (issued by lbnet's CA) or `certificateFile` and `privateKeyFile`
    /// (imported) whose contents check out.
    private mutating func checkSource(of certificate: StateFile.Certificate, at path: FieldPath) {
        if certificate.isIssued {
            if certificate.domainNames.isEmpty {
                report("a certificate needs domainNames (issued by lbnet's CA) or certificateFile and privateKeyFile (imported)",
                       at: path)
            }
            for (position, name) in certificate.domainNames.enumerated() {
                if let problem = DomainNameRule.problem(with: name) { report(problem, at: path.key("domainNames").index(position)) }
            }
            return
        }
        if !certificate.domainNames.isEmpty {
            report("an imported certificate takes its names from certificateFile; remove domainNames", at: path.key("domainNames"))
            return
        }
        do {
            _ = try ImportedCertificateFiles.load(certificate)
        } catch {
            report(error.message, at: error.field.map { path.key($0) } ?? path)
        }
    }

    /// HTTPS and TLS listeners have certificates of the section and a security policy lbnet
    /// knows; TLS listeners may have an ALPN policy of AWS's; other listeners have none of these.
    private mutating func checkTLS(of listener: StateFile.Listener, known: [String: FieldPath], at path: FieldPath) {
        if let policy = listener.alpnPolicy {
            if listener.protocol != .tls {
                report("only TLS listeners have an ALPN policy", at: path.key("alpnPolicy"))
            } else if ALPNPolicy(rawValue: policy) == nil {
                report("unknown ALPN policy '\(policy)'; AWS's are \(ALPNPolicy.allCases.map(\.rawValue).joined(separator: ", "))",
                       at: path.key("alpnPolicy"))
            }
        }
        guard listener.protocol.terminatesTLS else {
            if listener.sslPolicy != nil {
                report("only HTTPS and TLS listeners have a security policy", at: path.key("sslPolicy"))
            }
            if !listener.certificates.isEmpty {
                report("only HTTPS and TLS listeners have certificates", at: path.key("certificates"))
            }
            return
        }
        if let policy = listener.sslPolicy, SSLPolicy.named(policy) == nil {
            report("unknown security policy '\(policy)'; lbnet implements \(SSLPolicy.names.joined(separator: ", "))",
                   at: path.key("sslPolicy"))
        }
        if listener.certificates.isEmpty {
            report("\(listener.protocol == .https ? "an HTTPS" : "a TLS") listener needs at least one certificate (the first is the default)",
                   at: path.key("certificates"))
        }
        for (position, name) in listener.certificates.enumerated() where known[name] == nil {
            reportUnknown("certificate", name, among: known.keys, at: path.key("certificates").index(position))
        }
        if Set(listener.certificates).count != listener.certificates.count {
            report("a certificate is named twice", at: path.key("certificates"))
        }
    }
}

/// The syntax of a certificate's domain name: DNS labels of `a-z`, `0-9` and `-`, at most 253
/// characters, with an optional `*.` as its first label.
enum DomainNameRule {
    static func problem(with name: String) -> String? {
        let labels = (name.hasPrefix("*.") ? String(name.dropFirst(2)) : name).split(separator: ".", omittingEmptySubsequences: false)
        if name.count > 253 { return "'\(name)' is longer than 253 characters" }
        let valid = labels.count >= 1 && labels.allSatisfy { label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        }
        return valid ? nil : "'\(name)' is not a domain name (lowercase DNS labels, an optional leading '*.')"
    }
}
