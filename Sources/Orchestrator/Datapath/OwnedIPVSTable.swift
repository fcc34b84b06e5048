import Kernel

/// The IPVS services an NLB node's namespace must hold: the node's virtual services when it
/// uses the IPVS datapath, none when it uses nftables (so switching datapaths removes them).
public struct OwnedIPVSTable: Sendable, Equatable {
    public let namespace: String
    public let node: String
    public let table: IPVSTable
    /// The namespace's TCP idle timeout in seconds (the listeners' `tcp.idle_timeout.seconds`);
    /// `nil` leaves it as it is (nodes on nftables).
    public let tcpTimeout: UInt32?

    public init(namespace: String, node: String, table: IPVSTable, tcpTimeout: UInt32? = nil) {
        self.namespace = namespace
        self.node = node
        self.table = table
        self.tcpTimeout = tcpTimeout
    }
}
