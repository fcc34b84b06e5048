/// An Elastic Load Balancing security policy, by AWS's name: the TLS versions an HTTPS listener
/// accepts and the cipher suites it offers below TLS 1.3 (OpenSSL names, AWS's order). TLS 1.3
/// suites are BoringSSL's three (TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
/// TLS_CHACHA20_POLY1305_SHA256), which are what AWS's TLS 1.3 policies list.
public struct SSLPolicy: Sendable, Equatable {
    /// A TLS protocol version.
    public enum Version: Int, Sendable, Comparable {
        case tls1_0 = 10, tls1_1 = 11, tls1_2 = 12, tls1_3 = 13

        public static func < (lhs: Version, rhs: Version) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let name: String
    public let minimumVersion: Version
    public let maximumVersion: Version
    public let ciphers: [String]

    /// AWS's default for HTTPS listeners.
    public static let defaultName = "ELBSecurityPolicy-TLS13-1-2-2021-06"

    /// The policy called `name`; `nil` for a name lbnet does not implement.
    public static func named(_ name: String) -> SSLPolicy? {
        all.first { $0.name == name }
    }

    /// Every policy lbnet implements, by name.
    public static var names: [String] { all.map(\.name) }

    private static let gcmECDHE = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    ]
    private static let tls12ECDHE = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
    ]

    static let all: [SSLPolicy] = [
        SSLPolicy(name: "ELBSecurityPolicy-TLS13-1-2-2021-06", minimumVersion: .tls1_2, maximumVersion: .tls1_3, ciphers: tls12ECDHE),
        SSLPolicy(name: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", minimumVersion: .tls1_2, maximumVersion: .tls1_3, ciphers: gcmECDHE),
        SSLPolicy(name: "ELBSecurityPolicy-TLS13-1-3-2021-06", minimumVersion: .tls1_3, maximumVersion: .tls1_3, ciphers: []),
        SSLPolicy(
            name: "ELBSecurityPolicy-TLS-1-2-2017-01", minimumVersion: .tls1_2, maximumVersion: .tls1_2,
            ciphers: tls12ECDHE + ["AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"]),
        SSLPolicy(
            name: "ELBSecurityPolicy-2016-08", minimumVersion: .tls1_0, maximumVersion: .tls1_2,
            ciphers: [
                "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
                "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
                "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
                "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA",
            ]),
    ]
}
