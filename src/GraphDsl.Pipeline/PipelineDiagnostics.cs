using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Pipeline;

/// <summary>Diagnostics of the pass manager: pipeline text and scheduling (GD3xxx) and plugin
/// loading and plugin misbehaviour (GD9xxx).</summary>
public static class PipelineDiagnostics
{
    public static readonly DiagnosticDescriptor PipelineSyntax = new("GD3001", Severity.Error, "pipeline text: {0}");
    public static readonly DiagnosticDescriptor UnknownPass = new("GD3002", Severity.Error, "unknown pass '{0}'; known passes: {1}");
    public static readonly DiagnosticDescriptor UnknownOption = new("GD3003", Severity.Error, "pass '{0}' has no option '{1}'; its options: {2}");
    public static readonly DiagnosticDescriptor BadOptionValue = new("GD3004", Severity.Error, "pass '{0}' option '{1}': '{2}' is not a valid {3}");
    public static readonly DiagnosticDescriptor MissingRequirement = new("GD3005", Severity.Error, "pass '{0}' requires '{1}', which no earlier pass provides; {2}");
    public static readonly DiagnosticDescriptor RefusedOptionValue = new("GD3015", Severity.Error, "pass '{0}' option '{1}': {2} is refused: it {3}");
    public static readonly DiagnosticDescriptor MissingGoal = new("GD3016", Severity.Error, "the pipeline '{0}' does not provide '{1}'{3}: {2}; {4} (default pipeline: " + OptimizePipelines.Default + ")");
    /// <summary>A command asked for an artifact (<c>model.tflite</c>, <c>model.h</c>) the pipeline's passes did not offer.</summary>
    public static readonly DiagnosticDescriptor NoArtifact = new("GD3017", Severity.Error, "the pipeline '{0}' produced no '{1}' for {2}; end it with 'lower'");
    public static readonly DiagnosticDescriptor DuplicateOption = new("GD3006", Severity.Error, "pass '{0}' option '{1}' is given twice");
    public static readonly DiagnosticDescriptor ChangedWithoutNewInstance = new("GD3007", Severity.Error, "pass '{0}' ({1}) broke the contract: {2}");
    public static readonly DiagnosticDescriptor VerificationFailed = new("GD3008", Severity.Error, "the IR is invalid after pass '{0}': {1}");
    public static readonly DiagnosticDescriptor EmptyPipeline = new("GD3009", Severity.Error, "the pipeline is empty; known passes: {0}");
    public static readonly DiagnosticDescriptor OrderFileEntry = new("GD3010", Severity.Error, "order file: '{0}' is not an operator index");
    public static readonly DiagnosticDescriptor OrderFileNotPermutation = new("GD3011", Severity.Error, "order file: {0}");
    public static readonly DiagnosticDescriptor OrderFileNotTopological = new("GD3012", Severity.Error, "order file: operator {0} runs at step {1} but reads '{2}', which operator {3} writes later");

    public static readonly DiagnosticDescriptor StaleRequirement = new("GD3013", Severity.Error, "pass '{0}' requires '{1}', but '{2}' ran after it was provided and made it stale (it was computed for the previous execution order or graph); run the pass providing '{1}' again after '{2}'");

    public static readonly DiagnosticDescriptor UnknownPrintAfter = new("GD3014", Severity.Error, "--print-after '{0}': the pipeline has no pass of that name; its passes: {1}");

    public static readonly DiagnosticDescriptor PluginFolderMissing = new("GD9001", Severity.Error, "plugin folder '{0}' does not exist");
    public static readonly DiagnosticDescriptor PluginAssemblyMissing = new("GD9002", Severity.Error, "plugin folder '{0}' has no assembly '{1}' (each plugin lives in <dir>/<Name>/<Name>.dll)");
    public static readonly DiagnosticDescriptor PluginBadImage = new("GD9003", Severity.Error, "plugin '{0}' could not be read as a .NET assembly: {1}");
    public static readonly DiagnosticDescriptor PluginIncompatibleContract = new("GD9004", Severity.Error, "plugin '{0}' was built against GraphDsl.Passes.Abstractions {1}, but this host provides {2} (major versions differ); rebuild the plugin");
    public static readonly DiagnosticDescriptor PluginNoContract = new("GD9005", Severity.Error, "plugin '{0}' does not reference GraphDsl.Passes.Abstractions, so it cannot contain passes");
    public static readonly DiagnosticDescriptor PluginTypeLoad = new("GD9006", Severity.Error, "plugin '{0}' failed to load: {1}");
    public static readonly DiagnosticDescriptor PluginNoPasses = new("GD9007", Severity.Error, "plugin '{0}' contains no public IGraphPass type with a public parameterless constructor");
    public static readonly DiagnosticDescriptor DuplicatePassName = new("GD9008", Severity.Error, "pass name '{0}' is defined twice: in '{1}' and in '{2}'");
    public static readonly DiagnosticDescriptor PassThrew = new("GD9009", Severity.Error, "pass '{0}' from '{1}' failed: {2}: {3}");
    public static readonly DiagnosticDescriptor PassTimedOut = new("GD9010", Severity.Error, "pass '{0}' from '{1}' exceeded its time budget of {2} and did not stop within {3} after cancellation; it was abandoned");
    public static readonly DiagnosticDescriptor PassCancelledOverBudget = new("GD9012", Severity.Error, "pass '{0}' from '{1}' exceeded its time budget of {2} and was cancelled");
    public static readonly DiagnosticDescriptor PassBadDescriptor = new("GD9011", Severity.Error, "plugin '{0}': pass type {1} has an invalid descriptor: {2}");
}
