using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Passes.ArenaPlan;

/// <summary>Where graph-level diagnostics of these passes point: the main graph's origin, else
/// the model file the pipeline started from.</summary>
internal static class PassLocation
{
    public static Location? Of(Model model, PassContext context) =>
        model.Main.Origin.Location ?? (context.SourcePath is { } path ? new ModelLocation(path, model.Main.Name) : null);
}
