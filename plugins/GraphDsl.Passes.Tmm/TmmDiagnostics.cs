using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD3101", "GD3199")]

namespace GraphDsl.Passes.Tmm;

/// <summary>Diagnostics of the <c>tmm</c> pass.</summary>
public static class TmmDiagnostics
{
    public static readonly DiagnosticDescriptor UnknownView = new("GD3102", Severity.Error,
        "tmm: unknown view '{0}'; expected one of {1}");
    public static readonly DiagnosticDescriptor OrderNotTopological = new("GD3103", Severity.Error,
        "tmm: the execution order given by @order annotations reads a tensor before it is written");
}
