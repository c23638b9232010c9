using GraphDsl.Ir;

namespace GraphDsl.Tiling;

/// <summary>The tiling objective of models that do not run on TFLM (ONNX): GraphDsl's own arena
/// plan, in bytes.</summary>
public static class PlannedArena
{
    /// <summary>Bytes of the arena GraphDsl plans for <paramref name="graph"/> run in stored order
    /// (greedy-by-size placement, every reuse kind the layout makes true: for NCHW no Slice view
    /// and no in-place row Concat, see <see cref="BandLayout"/>); the <c>arena</c> pass's default
    /// strategy can only place tighter.</summary>
    public static long Of(Graph graph) => TilingSearch.GreedyPlan(graph).ArenaBytes;
}
