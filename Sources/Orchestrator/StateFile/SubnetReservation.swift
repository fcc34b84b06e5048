import Kernel

/// The addresses of a subnet no host may take: as in AWS, the first four and the last.
enum SubnetReservation {
    /// Why `address` is reserved in `subnet`, e.g. "the gateway"; `nil` when a host may use it.
    static func reason(for address: IPv4Address, in subnet: IPv4Network) -> String? {
        if address == subnet.broadcast { return "the broadcast address" }
        switch address.value &- subnet.network.value {
        case 0: return "the network address"
        case 1: return "the gateway"
        case 2: return "reserved for DNS"
        case 3: return "reserved for future use"
        default: return nil
        }
    }
}
