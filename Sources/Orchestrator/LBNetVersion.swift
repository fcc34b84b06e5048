/// lbnet's version, the one place it is set (`lbnet --version` prints it).
public enum LBNetVersion {
    public static let current = "0.1.0"
}
