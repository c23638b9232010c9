using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning;
using GraphDsl.Ir;

namespace GraphDsl.Passes.ArenaPlan;

/// <summary>The <c>verify</c> pass: re-checks the arena plan written in the main graph's
/// annotations with <see cref="ArenaPlanVerifier"/> and reports every violation as an error.</summary>
public sealed class VerifyPass : IGraphPass
{
    public PassDescriptor Descriptor { get; } = new(
        "verify",
        "Check the arena plan: alignment, bounds, no overlap of live activations unless a sound alias allows it, adjusted peak <= arena",
        PassKind.Analysis,
        Requires: ["arena"],
        Provides: ["verified"],
        Options: [],
        Reports: ArenaDiagnostics.Verification)
    {
        // The check holds for this order and placement only.
        DependsOn = ["order"],
    };

    public PassResult Run(Model model, PassContext context)
    {
        var location = PassLocation.Of(model, context);
        if (context.GetAnalysis<MemoryProblem>(model) is not { } problem) return PassResult.Unchanged(model);
        var layout = ArenaAnnotations.Read(model.Main, problem);
        if (layout is null)
        {
            context.Diagnostics.Report(ArenaDiagnostics.NoPlan, location);
            return PassResult.Unchanged(model);
        }
        context.Diagnostics.AddRange(ArenaPlanVerifier.Verify(problem, ExecutionOrder.Current(model.Main), layout));
        return PassResult.Unchanged(model);
    }
}
