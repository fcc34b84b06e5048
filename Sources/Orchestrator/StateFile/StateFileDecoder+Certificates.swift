import Yams

extension StateFileDecoder {
    func certificate(_ node: Node, at path: FieldPath) -> StateFile.Certificate? {
        let keys = ["name", "domainNames", "certificateFile", "privateKeyFile", "chainFile"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let name = required(fields, "name", string)
        let domainNames = optionalList(fields, "domainNames", string)
        let certificateFile = optional(fields, "certificateFile", string)
        let privateKeyFile = optional(fields, "privateKeyFile", string)
        let chainFile = optional(fields, "chainFile", string)
        guard let name else { return nil }
        return StateFile.Certificate(name: name, domainNames: domainNames, certificateFile: certificateFile,
                                     privateKeyFile: privateKeyFile, chainFile: chainFile)
    }
}
