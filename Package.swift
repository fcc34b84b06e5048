// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lbnet",
    products: [
        .executable(name: "lbnet", targets: ["lbnet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.0"),
    ],
    targets: [
        // C shim: libmnl and libnftnl headers (nftables, conntrack), plus the few calls Swift cannot import
        // (setns/unshare/mount wrappers, fork+setns+exec).
        .target(
            name: "CNetlink",
            linkerSettings: [.linkedLibrary("mnl"), .linkedLibrary("nftnl")]
        ),
        // libnl-3 headers: rtnetlink messages and objects (libnl-route-3), generic netlink
        // messages (libnl-genl-3).
        .systemLibrary(
            name: "CLibnl",
            pkgConfig: "libnl-genl-3.0",
            providers: [.apt(["libnl-3-dev", "libnl-route-3-dev", "libnl-genl-3-dev"])]
        ),
        .target(name: "Kernel", dependencies: ["CNetlink", "CLibnl"]),
        // Health checks shared by NLB and ALB nodes: matcher, target health, defaults, NIO probes.
        .target(
            name: "Health",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // HTTPS health checks (targets' certificates are not verified, as on AWS).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "L7Proxy",
            dependencies: [
                "Health",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // TLS listeners relay once the handshake-completed event arrives.
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                // gzip members for the ALB access log files.
                .product(name: "CompressNIO", package: "compress-nio"),
                // HTTPS listeners: TLS termination with SNI (BoringSSL).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // HTTP/2 to clients of HTTPS listeners (ALPN h2), bridged to HTTP/1.1 exchanges.
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ]
        ),
        // The AWS API endpoint: SigV4, the Query and EC2 protocols, XML; the calls are the
        // Orchestrator's.
        .target(
            name: "AWSAPI",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Orchestrator",
            dependencies: [
                "CNetlink", "Kernel", "L7Proxy", "Health", "AWSAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // The certificates section: PEM files checked, certificates issued by the local CA.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "lbnet",
            dependencies: [
                "Orchestrator", "Kernel", "L7Proxy",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Fuzz targets (state file, HTTP request path, AWS API request, netlink replies, PROXY protocol header, a target's HTTP response):
        // `scripts/fuzz` builds this with libFuzzer; a plain build replays the kept corpora.
        .executableTarget(
            name: "lbnet-fuzz",
            dependencies: [
                "Orchestrator", "Kernel", "L7Proxy", "AWSAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/Fuzz",
            exclude: ["Corpus"]
        ),
        .testTarget(name: "KernelTests", dependencies: ["Kernel"]),
        .testTarget(name: "AWSAPITests", dependencies: ["AWSAPI"]),
        // A parser of AWS's ALB access log format, for the tests of lbnet's access logs.
        .target(name: "ALBAccessLogParsing", path: "Tests/ALBAccessLogParsing"),
        .testTarget(
            name: "OrchestratorTests",
            dependencies: ["Orchestrator", "Kernel", "Health", "L7Proxy", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "HealthTests",
            dependencies: [
                "Health",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "L7ProxyTests",
            dependencies: [
                "L7Proxy", "Health", "ALBAccessLogParsing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Runs the built `lbnet` binary as root against throwaway state dirs and names.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["lbnet", "lbnet-fuzz", "Orchestrator", "Kernel", "L7Proxy", "ALBAccessLogParsing", .product(name: "NIOCore", package: "swift-nio")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
