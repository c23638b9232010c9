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

    /// <summary>" (did you mean CONV_2D?)" when a builtin TFLM runs is spelled the same but for
    /// case and underscores (a hand-written <c>CONV2D</c>), else "".</summary>
    private static string DidYouMean(string opType)
    {
        static string Key(string s) => s.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        var key = Key(opType);
        var match = TflmKernelRules.Builtins.FirstOrDefault(b => Key(b) == key);
        return match is null ? "" : $" (did you mean {match}?)";
    }

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
                    found.Add(Diagnostic.Create(TflmCompatibilityDiagnostics.NoKernel, at, op.OpType + DidYouMean(op.OpType)));
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

    /// <summary>The warnings as a user reads them: warnings with the same message (same operator
    /// type and reason) become one, at the first operator, its message ending with the count and
    /// the first <paramref name="listed"/> operators (<c>[111 operators: subgraph0/op0, op1, op4
    /// and 108 more]</c>); a warning met once is unchanged. Groups keep the order of first appearance.</summary>
    public static IReadOnlyList<Diagnostic> Grouped(IReadOnlyList<Diagnostic> warnings, int listed = 5)
    {
        var groups = warnings.GroupBy(w => (w.Descriptor.Id, w.Message)).ToList();
        return groups.Select(g =>
        {
            var all = g.ToList();
            if (all.Count == 1) return all[0];
            var places = all.Take(listed).Select((w, i) => Place(w.Location, i == 0 ? null : all[0].Location)).ToList();
            var more = all.Count > listed ? $" and {all.Count - listed} more" : "";
            return all[0] with { Message = $"{all[0].Message} [{all.Count} operators: {string.Join(", ", places)}{more}]" };
        }).ToList();
    }

    /// <summary><c>subgraph0/op12</c> (the place in the model without the file and operator name),
    /// shortened to <c>op12</c> when it is in the same subgraph as <paramref name="first"/>.</summary>
    private static string Place(Location? location, Location? first)
    {
        static string Fragment(Location? l) => l is ModelLocation m ? m.Fragment.Split(' ')[0] : l?.ToString() ?? "?";
        var fragment = Fragment(location);
        var slash = fragment.LastIndexOf('/');
        return first is not null && slash > 0 && Fragment(first).StartsWith(fragment[..(slash + 1)], StringComparison.Ordinal)
            ? fragment[(slash + 1)..]
            : fragment;
    }
}
