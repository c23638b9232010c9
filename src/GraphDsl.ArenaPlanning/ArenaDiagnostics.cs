using GraphDsl.Analysis;
using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD3301", "GD3399")]

namespace GraphDsl.ArenaPlanning;

/// <summary>Diagnostics of arena planning (GD330x) and of the plan verifier (GD332x).</summary>
public static class ArenaDiagnostics
{
    public static readonly DiagnosticDescriptor UnknownStrategy = new("GD3301", Severity.Error,
        "Unknown arena strategy '{0}'; known strategies: {1}.");
    public static readonly DiagnosticDescriptor UnknownReuse = new("GD3302", Severity.Error,
        "Unknown reuse setting '{0}'; use one of {1}, or kinds joined by '+' (views+inplace).");
    public static readonly DiagnosticDescriptor OrderNotTopological = new("GD3304", Severity.Error,
        "The execution order reads an activation before it is written, so the arena cannot be planned.");
    public static readonly DiagnosticDescriptor BadAlignment = new("GD3305", Severity.Error,
        "Arena alignment must be a positive power of two, got {0}.");

    public static readonly DiagnosticDescriptor MissingPlacement = new("GD3320", Severity.Error,
        "Activation '{0}' has no valid @arena(offset=, size=) placement.");
    public static readonly DiagnosticDescriptor Misaligned = new("GD3321", Severity.Error,
        "Activation '{0}' is at offset {1}, not a multiple of the alignment {2}.");
    public static readonly DiagnosticDescriptor OutsideArena = new("GD3322", Severity.Error,
        "Activation '{0}' ends at byte {1}, past the arena of {2} bytes.");
    public static readonly DiagnosticDescriptor Overlap = new("GD3323", Severity.Error,
        "Activations '{0}' (bytes {1}..{2}, steps {3}..{4}) and '{5}' (bytes {6}..{7}, steps {8}..{9}) are alive together at step {10} and overlap, with no sound alias between them.");
    public static readonly DiagnosticDescriptor UnsoundAlias = new("GD3324", Severity.Error,
        "@alias of '{0}' on '{1}' (reason {2}) is not sound: {3}.");
    public static readonly DiagnosticDescriptor PeakAboveArena = new("GD3325", Severity.Error,
        "The in-place-adjusted liveness peak ({0} bytes, step {1}) exceeds the arena ({2} bytes).");
    public static readonly DiagnosticDescriptor WrongSize = new("GD3326", Severity.Error,
        "Activation '{0}' has @arena size {1}, but its type needs {2} bytes.");
    public static readonly DiagnosticDescriptor NoPlan = new("GD3327", Severity.Error,
        "The graph has no valid @arena_plan(arena_bytes=, align=); run the arena pass before verify.");

    public static IReadOnlyList<DiagnosticDescriptor> Planning { get; } =
        [UnknownStrategy, UnknownReuse, AnalysisDiagnostics.UnsizedActivation, OrderNotTopological, BadAlignment];

    public static IReadOnlyList<DiagnosticDescriptor> Verification { get; } =
        [AnalysisDiagnostics.UnsizedActivation, MissingPlacement, Misaligned, OutsideArena, Overlap, UnsoundAlias, PeakAboveArena, WrongSize, NoPlan];
}
