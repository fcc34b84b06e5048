import Foundation
import Orchestrator
import Testing

/// The local CA and the certificates it issues for the state file.
@Suite struct CertificateStoreTests {
    @Test func theCAIsMadeOnceAndIssuedCertificatesLastUntilTheirNamesChange() throws {
        let directory = try TemporaryDirectory()
        let state = StateDirectory(path: directory.path)
        let store = CertificateStore(directory: state)
        var file = StateFile(certificates: [StateFile.Certificate(name: "web", domainNames: ["www.example.test", "*.example.test"])])

        let first = try store.proxyCertificates(named: ["web"], in: file)
        #expect(first.map(\.domainNames) == [["www.example.test", "*.example.test"]])
        let caKey = try FileManager.default.attributesOfItem(atPath: LocalCertificateAuthority.privateKeyPath(in: state))
        #expect((caKey[.posixPermissions] as? Int) == 0o600)
        let issuedKey = try FileManager.default.attributesOfItem(atPath: "\(directory.path)/certificates/web.key")
        #expect((issuedKey[.posixPermissions] as? Int) == 0o600)
        let authority = try String(contentsOfFile: LocalCertificateAuthority.certificatePath(in: state), encoding: .utf8)

        #expect(try store.proxyCertificates(named: ["web"], in: file) == first)
        file.certificates[0].domainNames = ["api.example.test"]
        let renamed = try store.proxyCertificates(named: ["web"], in: file)
        #expect(renamed.map(\.domainNames) == [["api.example.test"]])
        #expect(renamed != first)
        #expect(try String(contentsOfFile: LocalCertificateAuthority.certificatePath(in: state), encoding: .utf8) == authority)
    }
}
