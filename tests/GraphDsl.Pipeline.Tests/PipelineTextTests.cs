using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Pipeline.Tests;

public class PipelineTextTests
{
    [Theory]
    [InlineData("tmm")]
    [InlineData("tmm,order,arena{align=16},lower")]
    [InlineData("order{strategy=exact,time-limit=10},arena{align=16}")]
    [InlineData("x{path=\"a,b {c}\"}")]
    [InlineData("x{quote=\"say \\\"hi\\\"\"}")]
    public void Printing_a_parsed_pipeline_gives_the_same_text(string text)
    {
        var bag = new DiagnosticBag();
        var steps = PipelineText.Parse(text, bag);
        Assert.Empty(bag);
        Assert.NotNull(steps);
        Assert.Equal(text, PipelineText.Print(steps));
        // And the printed text parses to the same steps.
        var again = PipelineText.Parse(PipelineText.Print(steps), bag)!;
        Assert.Equal(steps.Select(s => (s.PassName, string.Join(";", s.Options))), again.Select(s => (s.PassName, string.Join(";", s.Options))));
    }

    [Fact]
    public void Whitespace_is_allowed_and_not_printed()
    {
        var bag = new DiagnosticBag();
        var steps = PipelineText.Parse(" tmm , arena { align = 16 , fast=true } ", bag)!;
        Assert.Equal("tmm,arena{align=16,fast=true}", PipelineText.Print(steps));
        Assert.Equal(["align", "fast"], steps[1].Options.Select(o => o.Key));
        Assert.Equal(["16", "true"], steps[1].Options.Select(o => o.Value));
    }

    [Theory]
    [InlineData("tmm,,arena", 5, "expected a pass name, found ','")]
    [InlineData("arena{align=16", 15, "missing '}' closing the options of pass 'arena'")]
    [InlineData("arena{align}", 12, "expected '=' after option 'align' of pass 'arena'")]
    [InlineData("tmm arena", 5, "expected ',' or the end after pass 'tmm', found 'a'")]
    [InlineData("arena{align=}", 13, "expected an option value")]
    public void Syntax_errors_point_at_the_column(string text, int column, string message)
    {
        var bag = new DiagnosticBag();
        Assert.Null(PipelineText.Parse(text, bag));
        var d = Assert.Single(bag);
        Assert.Equal("GD3001", d.Id);
        Assert.Equal(column, ((SourceSpan)d.Location!).Column);
        Assert.Equal("pipeline text: " + message, d.Message);
    }
}
