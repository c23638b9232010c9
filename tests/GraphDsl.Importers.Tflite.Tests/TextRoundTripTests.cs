using GraphDsl.Importers.Tflite.Tests.TestModels;
using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.Syntax;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Importers.Tflite.Tests;

/// <summary>The printed text of every imported model parses back to an equal model, and the
/// imported IR passes the IR verifier (through <see cref="ModelLoader"/>).</summary>
public sealed class TextRoundTripTests
{
    public static IEnumerable<object[]> Models => CorpusModels.TheoryData(".tflite");

    private static void AssertRoundTrips(Model model, string path)
    {
        var text = IrPrinter.Print(model);
        var parsed = GraphDslSyntax.Parse(text, path + ".gdsl");
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics.Take(5)));
        for (int g = 0; g < model.Graphs.Count; g++)
        {
            var expected = model.Graphs[g];
            var actual = parsed.Model!.Graphs[g];
            for (int i = 0; i < expected.Tensors.Count; i++) Assert.Equal(expected.Tensors[i], actual.Tensors[i]);
            for (int i = 0; i < expected.Operators.Count; i++) Assert.Equal(expected.Operators[i], actual.Operators[i]);
        }
        Assert.Equal(model, parsed.Model);
        Assert.Equal(text, IrPrinter.Print(parsed.Model!));
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Corpus_model_text_reparses_to_the_same_model(string file)
    {
        var path = CorpusModels.PathOf(file);
        var loaded = ModelLoader.Load(path);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics.Take(5)));
        AssertRoundTrips(loaded.Model!, path);
    }

    [Fact]
    public void Synthetic_model_text_reparses_to_the_same_model()
    {
        var result = TfliteImporter.Import(SampleModels.Rich().Build(), "rich.tflite");
        AssertRoundTrips(result.Model!, "rich.tflite");
        Assert.True(ModelLoader.Verified(result).Succeeded, string.Join("\n", ModelLoader.Verified(result).Diagnostics));
    }
}
