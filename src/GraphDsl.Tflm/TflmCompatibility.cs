using System.Text.RegularExpressions;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Tflm;

/// <summary>Diagnostics of the TFLM compatibility check (GD36xx): warnings, since GraphDsl still
/// plans and writes the model; it is TFLM that will refuse it on the device.</summary>
public static class TflmCompatibilityDiagnostics
{
    public static readonly DiagnosticDescriptor UnsupportedTypes = new("GD3601", Severity.Warning,
        "TFLM's reference kernels do not run {0} with {1}: it takes {2} (TFLM tensorflow/lite/micro/kernels/{3})");
    public static readonly DiagnosticDescriptor NoKernel = new("GD3602", Severity.Warning,
        "TFLM has no kernel for {0} (tensorflow/lite/micro/micro_mutable_op_resolver.h); AllocateTensors will fail unless the application registers one");
    public static readonly DiagnosticDescriptor NamelessResource = new("GD3603", Severity.Warning,
        "VAR_HANDLE without shared_name after another VAR_HANDLE: TFLM crashes in Prepare (MicroResourceVariables::FindId, tensorflow/lite/micro/micro_resource_variable.cc, compares the missing name)");
}

/// <summary>Warns, with each operator's location, where a model uses an operator or a type
/// combination that TensorFlow Lite Micro's reference kernels do not run (rules:
/// <see cref="TflmKernelRules"/>), so that a user learns it before flashing.</summary>
public static class TflmCompatibility
{
    private static readonly Regex TfliteOpName = new("^[A-Z][A-Z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>True when every operator uses TFLite's operator names (<c>CONV_2D</c>, <c>CUSTOM</c>...),
    /// as a model read from a .tflite does: ONNX operators (<c>Conv</c>) do not run on TFLM as they
    /// are, so checking them against TFLM's kernels would say nothing useful.</summary>
    public static bool AppliesTo(Model model) =>
        model.Graphs.SelectMany(g => g.Operators).All(o => TfliteOpName.IsMatch(o.OpType));

    /// <summary>One warning per operator TFLM would refuse, in subgraph and operator order (the
    /// order TFLM prepares them); empty when <see cref="AppliesTo"/> is false.</summary>
    public static IReadOnlyList<Diagnostic> Check(Model model)
    {
        var found = new List<Diagnostic>();
        if (!AppliesTo(model)) return found;
        bool resourceSeen = false, namelessSeen = false;
        foreach (var graph in model.Graphs)
            foreach (var op in graph.Operators)
            {
                var at = op.Origin.Location;
                if (op.OpType == "CUSTOM")
                {
                    var code = op.CustomCode;
                    if (code is null || !TflmKernelRules.CustomOps.Contains(code))
                        found.Add(Diagnostic.Create(TflmCompatibilityDiagnostics.NoKernel, at, code is null ? "a CUSTOM operator without custom_code" : $"custom operator '{code}'"));
                    continue;
                }
                if (!TflmKernelRules.Builtins.Contains(op.OpType))
                {
                    found.Add(Diagnostic.Create(TflmCompatibilityDiagnostics.NoKernel, at, op.OpType));
                    continue;
                }
                if (op.OpType == "VAR_HANDLE")
                {
                    // FindId strcmp()s this name with every earlier one: a missing name on either side crashes.
                    bool nameless = op.Attributes["shared_name"] is null;
                    if (resourceSeen && (nameless || namelessSeen))
                        found.Add(Diagnostic.Create(TflmCompatibilityDiagnostics.NamelessResource, at));
                    resourceSeen = true;
                    namelessSeen |= nameless;
                }
                var operands = new KernelOperands(graph, op);
                // One warning per operator: the first rule it breaks (TFLM stops at the first check too).
                foreach (var rule in TflmKernelRules.All.Where(r => r.OpType == op.OpType))
                    if (rule.Refuses(operands) is { } what)
                    {
                        found.Add(Diagnostic.Create(TflmCompatibilityDiagnostics.UnsupportedTypes, at, op.OpType, what, rule.Requirement, rule.Source));
                        break;
                    }
            }
        return found;
    }
}
