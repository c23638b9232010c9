namespace GraphDsl.Ir.Diagnostics;

/// <summary>The fixed part of a diagnostic: a stable ID (<c>GD0xxx</c> syntax, <c>GD1xxx</c>
/// semantic/IR, <c>GD2xxx</c> importers, <c>GD3xxx</c> passes, <c>GD9xxx</c> plugins), a
/// severity and a composite-format message.</summary>
public sealed record DiagnosticDescriptor(string Id, Severity Severity, string MessageFormat);
