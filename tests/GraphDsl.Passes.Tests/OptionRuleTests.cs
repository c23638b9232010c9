using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;
using Xunit;

namespace GraphDsl.Passes.Tests;

/// <summary>Option values of the right type that a pass cannot use are refused at the option in
/// the pipeline text (GD3015), before any pass runs.</summary>
public class OptionRuleTests
{
    [Theory]
    [InlineData("order{budget-ms=-1}", 1, "pass 'order' option 'budget-ms': -1 is refused: it must be 0 or more")]
    [InlineData("order{max-states=0}", 1, "pass 'order' option 'max-states': 0 is refused: it must be 1 or more")]
    [InlineData("tmm,order,arena{align=3}", 11, "pass 'arena' option 'align': 3 is refused: it must be a positive power of two (1, 2, 4, 8, 16, ...)")]
    [InlineData("order,arena{budget-ms=-5}", 7, "pass 'arena' option 'budget-ms': -5 is refused: it must be 0 or more")]
    public void Refused_values_are_located_at_the_pipeline_option(string pipeline, int column, string message)
    {
        var run = BuiltInPasses.Run(pipeline, Model.Of(RandomGraphs.Create(3)));
        Assert.False(run.Succeeded);
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal(("GD3015", message), (d.Id, d.Message));
        var at = Assert.IsType<SourceSpan>(d.Location);
        Assert.Equal(("<pipeline>", column), (at.FilePath, at.Column));
    }

    [Fact]
    public void Accepted_values_still_bind()
    {
        Assert.True(BuiltInPasses.Run("order{budget-ms=0},arena{align=1,budget-ms=0}", Model.Of(RandomGraphs.Create(3))).Succeeded);
    }

    [Fact]
    public void Power_of_two_rule_accepts_exactly_the_powers_of_two()
    {
        var powers = Enumerable.Range(0, 40).Select(k => 1L << k).ToHashSet();
        for (long v = -70; v <= 70_000; v++)
            Assert.Equal(powers.Contains(v), OptionRules.PowerOfTwo(v) is null);
        Assert.Null(OptionRules.AtLeast(0)(0L));
        Assert.NotNull(OptionRules.AtLeast(0)(-1L));
    }
}
