namespace GraphDsl.Ir.Diagnostics;

/// <summary>How serious a diagnostic is; an Error stops a pipeline.</summary>
public enum Severity { Info, Warning, Error }
