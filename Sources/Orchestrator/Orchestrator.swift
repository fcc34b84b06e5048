/// Namespace for lbnet's control plane: state file, validation, plan, reconcile, supervision.
public enum Orchestrator {}
