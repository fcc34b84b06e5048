/// A certificate an HTTPS listener presents, by its name in the state file: the DNS names it
/// covers (what SNI selects it by), the certificate followed by its chain, and its private key,
/// both PEM. Configuration files holding them are root's alone (mode 0600).
public struct ProxyCertificate: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, domainNames, certificateChain, privateKey
    }

    public var name: String
    public var domainNames: [String]
    public var certificateChain: String
    public var privateKey: String

    public init(name: String, domainNames: [String], certificateChain: String, privateKey: String) {
        self.name = name
        self.domainNames = domainNames
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        domainNames = try container.decode([String].self, forKey: .domainNames)
        certificateChain = try container.decode(String.self, forKey: .certificateChain)
        privateKey = try container.decode(String.self, forKey: .privateKey)
    }
}

