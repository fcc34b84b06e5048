extension StateFile {
    /// A server certificate HTTPS listeners present (ACM's role): imported from PEM files, or
    /// issued by the state directory's local certificate authority for `domainNames`.
    public struct Certificate: Sendable, Equatable {
        public var name: String
        /// The names lbnet's CA issues the certificate for (wildcards as `*.example.test`);
        /// empty for an imported certificate.
        public var domainNames: [String]
        /// An imported certificate: absolute paths of its PEM files.
        public var certificateFile: String?
        public var privateKeyFile: String?
        /// The intermediate certificates sent after the certificate, if any.
        public var chainFile: String?

        public init(
            name: String, domainNames: [String] = [], certificateFile: String? = nil, privateKeyFile: String? = nil,
            chainFile: String? = nil
        ) {
            self.name = name
            self.domainNames = domainNames
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
            self.chainFile = chainFile
        }

        /// Whether lbnet's local CA issues this certificate (rather than it being imported).
        public var isIssued: Bool { certificateFile == nil && privateKeyFile == nil && chainFile == nil }
    }
}
