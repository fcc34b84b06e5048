/// One kind of untrusted input lbnet parses, as a function libFuzzer drives and the corpus
/// tests replay. `run` returns normally for every input; a crash, a hang or a broken promise
/// (say, a leaked connection) stops the process, which is how libFuzzer notices it.
protocol FuzzTarget {
    /// The name `scripts/fuzz` and the corpus folder use.
    static var name: String { get }
    func run(_ input: [UInt8])
}

/// Every fuzz target, by name.
enum FuzzTargets {
    static let names = [StateFileFuzzTarget.name, HTTPRequestFuzzTarget.name, APIRequestFuzzTarget.name, NetlinkFuzzTarget.name,
                        ProxyProtocolFuzzTarget.name, HTTPResponseFuzzTarget.name]

    /// A ready target (the HTTP one starts its proxy on loopback here), or nil for an unknown name.
    static func make(_ name: String) -> (any FuzzTarget)? {
        switch name {
        case StateFileFuzzTarget.name: StateFileFuzzTarget()
        case HTTPRequestFuzzTarget.name: HTTPRequestFuzzTarget.shared
        case APIRequestFuzzTarget.name: APIRequestFuzzTarget()
        case NetlinkFuzzTarget.name: NetlinkFuzzTarget()
        case ProxyProtocolFuzzTarget.name: ProxyProtocolFuzzTarget()
        case HTTPResponseFuzzTarget.name: HTTPResponseFuzzTarget()
        default: nil
        }
    }
}
