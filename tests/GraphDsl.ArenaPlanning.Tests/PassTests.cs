using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;
using GraphDsl.Passes.ArenaPlan;
using Xunit;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>The 'arena' and 'verify' passes through the plugin contract.</summary>
public sealed class PassTests
{
    private sealed class NoArtifacts : IArtifactSink
    {
        public void Write(string name, ReadOnlyMemory<byte> content) { }
    }

    internal static (PassResult Result, DiagnosticBag Diagnostics) Run(IGraphPass pass, Model model, params (string Key, object Value)[] options)
    {
        var values = PassOptions.Defaults(pass.Descriptor).Values.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (key, value) in options) values[key] = value;
        var bag = new DiagnosticBag();
        var context = new PassContext(new PassOptions(values), bag, new NoArtifacts(), new Progress<PassProgress>(), null, default);
        return (pass.Run(model, context), bag);
    }

    [Fact]
    public void ArenaThenVerifyReportsNothingAndTamperingIsCaught()
    {
        var model = Model.Of(RandomGraphs.Create(7, 14));
        var (planned, bag) = Run(new ArenaPass(), model);
        Assert.Empty(bag);
        Assert.True(planned.Changed);
        Assert.Empty(Run(new VerifyPass(), planned.Model).Diagnostics);

        // Move the largest activation to offset 0, where some other live activation sits.
        var main = planned.Model.Main;
        var victim = main.Tensors.Where(t => t.IsActivation).MaxBy(t => t.ByteSize)!;
        var arena = (AttributeValue.Record)victim.Annotations[WellKnownAnnotations.Arena]!;
        long offset = arena.Fields["offset"]!.AsInt()!.Value;
        var moved = victim with { Annotations = victim.Annotations.With(WellKnownAnnotations.Arena,
            new AttributeValue.Record(arena.Fields.With("offset", offset == 0 ? 16 : 0))) };
        var tampered = planned.Model.WithMain(main with { Tensors = main.Tensors.Select(t => t == victim ? moved : t).ToEquatableArray() });
        var found = Run(new VerifyPass(), tampered).Diagnostics;
        Assert.Contains(found, d => d.Id is "GD3323" or "GD3324" or "GD3321");
    }

    [Fact]
    public void BadOptionsAndMissingPlansAreDiagnosed()
    {
        var model = Model.Of(RandomGraphs.Create(8, 5));
        Assert.Equal("GD3302", Assert.Single(Run(new ArenaPass(), model, ("reuse", "sometimes")).Diagnostics).Id);
        Assert.Equal("GD3301", Assert.Single(Run(new ArenaPass(), model, ("strategy", "random")).Diagnostics).Id);
        Assert.Equal("GD3305", Assert.Single(Run(new ArenaPass(), model, ("align", 12L)).Diagnostics).Id);
        Assert.Equal("GD3327", Assert.Single(Run(new VerifyPass(), model).Diagnostics).Id);
    }
}
