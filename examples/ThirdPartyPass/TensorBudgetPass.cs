using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace ThirdPartyPass;

/// <summary><c>tensor-budget</c>: flags every activation larger than a byte budget with a warning
/// and an <c>@over_budget(bytes=..)</c> annotation, e.g. to find tensors that can never fit a
/// given SRAM bank whatever the order or arena layout.</summary>
public sealed class TensorBudgetPass : IGraphPass
{
    public static readonly DiagnosticDescriptor OverBudget = new("TP0001", Severity.Warning,
        "activation '{0}' needs {1} bytes, more than the budget of {2} bytes");

    public PassDescriptor Descriptor { get; } = new(
        "tensor-budget",
        "Flags activations larger than a byte budget (example third-party pass)",
        PassKind.Analysis,
        Requires: [],
        Provides: ["tensor-budget"],
        Options: [PassOption.Int("budget", 65536, "largest allowed activation, in bytes")],
        Reports: [OverBudget]);

    public PassResult Run(Model model, PassContext context)
    {
        var budget = context.Options.Get<long>("budget");
        var graph = model.Main;
        var tensors = graph.Tensors.ToArray();
        for (int i = 0; i < tensors.Length; i++)
        {
            var t = tensors[i];
            if (!t.IsActivation || t.ByteSize is not { } size || size <= budget) continue;
            context.Diagnostics.Report(OverBudget, t.Origin.Location, t.Name, size, budget);
            tensors[i] = t with
            {
                Annotations = t.Annotations.With("over_budget",
                    new AttributeValue.Record(AttributeMap.From(("bytes", (AttributeValue)size)))),
            };
        }
        var result = graph with { Tensors = tensors.ToEquatableArray() };
        return result.Equals(graph) ? PassResult.Unchanged(model) : PassResult.From(model, model.WithMain(result));
    }
}
