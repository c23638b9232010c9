using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Cli.Tests;

/// <summary>Issue 14 items 9 and 10: no command writes a plan computed for another order, and
/// the written text carries no figures of the old order.</summary>
public sealed class PipelineSafetyTests : InTempDirectory
{
    [SkippableFact]
    public void Reordering_after_arena_planning_is_refused_and_writes_nothing()
    {
        var model = Graphdsl.Case("inception_breadth_first.gdsl");
        var run = Graphdsl.Run(Dir, "run", model, "--pipeline", "tmm,arena,order,lower", "--artifacts", "out", "-o", "out.gdsl");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error GD3013: pass 'lower' requires 'arena', but 'order' ran after it was provided and made it stale", run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
        Assert.Empty(Directory.GetFileSystemEntries(Dir));

        // Planning after the order is the road that works, and its plan is the new order's.
        var ok = Graphdsl.Run(Dir, "run", model, "--pipeline", "tmm,order,arena,verify,lower", "--artifacts", "out", "-o", "planned.gdsl");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.True(File.Exists(Path.Combine(Dir, "out", "model.gdsl")));
    }

    [SkippableFact]
    public void Optimized_text_keeps_no_memory_figures_of_the_stored_order()
    {
        var model = Graphdsl.Case("inception_breadth_first.gdsl");
        var run = Graphdsl.Run(Dir, "optimize", model, "-o", "out.gdsl");
        Assert.True(run.ExitCode == 0, run.ToString());
        var text = File.ReadAllText(Path.Combine(Dir, "out.gdsl"));
        // The default pipeline runs tmm on the stored order before the order search moves the
        // operators: those per-operator figures are stale and must be gone.
        Assert.DoesNotContain("@memory(", text);
        Assert.DoesNotContain("@tmm(", text);
        var planned = ModelLoader.Load(Path.Combine(Dir, "out.gdsl"));
        Assert.True(planned.Succeeded, string.Join("\n", planned.Diagnostics));
        // Operators are stored in execution order, each branch expanded and projected in turn
        // (a1 a b1 b c1 c y): the stored breadth-first order keeps all three expansions alive.
        Assert.Equal(["a1", "a", "b1", "b", "c1", "c", "y"], planned.Model!.Main.Operators.Select(o => o.Outputs[0]!));
        // The peak is while b1 -> b runs: x (kept for c1), a, b1 and b alive, all int8.
        long x = 32 * 32 * 16, expansion = 32 * 32 * 64, projection = 32 * 32 * 8;
        Assert.Contains($"arena_bytes={x + projection + expansion + projection},", text);
    }
}
