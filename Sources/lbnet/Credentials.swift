import ArgumentParser
import Orchestrator

/// `lbnet credentials`: this state directory's API key pair as shell exports.
struct Credentials: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print this state directory's AWS API access key as shell exports (eval \"$(sudo lbnet credentials)\").",
        discussion: "The key is made at the daemon's first start (or here) and kept in STATE_DIR/api-credentials.json, readable by root only.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try reportingErrors {
            try requireRoot()
            let credentials = try APICredentialStore(directory: global.deployment.directory).loadOrCreate()
            print("export AWS_ACCESS_KEY_ID=\(credentials.accessKeyId)")
            print("export AWS_SECRET_ACCESS_KEY=\(credentials.secretAccessKey)")
            print("export AWS_DEFAULT_REGION=\(AWSIdentity.region)")
        }
    }
}
