extension StateFile.Datapath {
    /// The datapath a node asking for this one gets: IPVS for `ipvs` and `auto` where the
    /// kernel has it, else nftables (`ipvs` without IPVS is refused before this is asked).
    public func resolved(ipvsAvailable: Bool) -> StateFile.Datapath {
        self == .nftables || !ipvsAvailable ? .nftables : .ipvs
    }
}
