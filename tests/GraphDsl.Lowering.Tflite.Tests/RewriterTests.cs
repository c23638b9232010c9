using System.Buffers.Binary;
using GraphDsl.Importers.Tflite;
using GraphDsl.Importers.Tflite.Tests.TestModels;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Lowering.Tflite.Tests;

public sealed class RewriterTests
{
    public static IEnumerable<object[]> Models => CorpusModels.TheoryData(".tflite");

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Corpus_model_rewritten_in_another_order_keeps_everything_else(string file)
    {
        var path = CorpusModels.PathOf(file);
        var original = File.ReadAllBytes(path);
        var main = TfliteImporter.Import(original, path).Model!.Main;
        var order = RewriteCheck.ReverseWhereValid(main);
        RewriteCheck.RewriteAndCheck(original, path, order, RewriteCheck.ArbitraryPlan(main));
    }

    [SkippableFact]
    public void Branched_corpus_models_really_get_a_different_order()
    {
        var main = TfliteImporter.Import(CorpusModels.PathOf("pretrainedResnet_quant.tflite")).Model!.Main;
        Assert.NotEqual(Enumerable.Range(0, main.Operators.Count), RewriteCheck.ReverseWhereValid(main));
    }

    [Fact]
    public void Synthetic_model_with_external_data_two_subgraphs_and_custom_op()
    {
        var original = SampleModels.Rich().Build();
        var main = TfliteImporter.Import(original, "rich.tflite").Model!.Main;
        var order = RewriteCheck.ReverseWhereValid(main);
        var rewritten = RewriteCheck.RewriteAndCheck(original, "rich.tflite", order, RewriteCheck.ArbitraryPlan(main));
        var raw = new RawTfliteReader(rewritten);
        uint external = 4;
        Assert.Equal(SampleModels.Rich().Buffers[(int)external].Data, raw.BufferBytes(external));
        Assert.Equal(0, raw.BufferDataPosition(external) % 16);
        Assert.True(raw.BufferDataPosition(external) > 0);
    }

    [Fact]
    public void An_existing_plan_is_replaced_not_duplicated()
    {
        var original = SampleModels.Rich().Build();
        var main = TfliteImporter.Import(original, "rich.tflite").Model!.Main;
        var identity = Enumerable.Range(0, main.Operators.Count).ToArray();
        var first = TfliteRewriter.Rewrite(original, identity, Enumerable.Repeat(-1, main.Tensors.Count).ToArray());
        var plan = RewriteCheck.ArbitraryPlan(main);
        var second = RewriteCheck.RewriteAndCheck(first, "first.tflite", identity, plan);
        Assert.Equal(new RawTfliteReader(first).BufferCount, new RawTfliteReader(second).BufferCount);
        Assert.Equal(new RawTfliteReader(original).BufferCount + 1, new RawTfliteReader(second).BufferCount);
    }

    [Fact]
    public void No_plan_removes_an_existing_plan_entry()
    {
        var original = SampleModels.Rich().Build();
        var main = TfliteImporter.Import(original, "rich.tflite").Model!.Main;
        var identity = Enumerable.Range(0, main.Operators.Count).ToArray();
        var planned = TfliteRewriter.Rewrite(original, identity, RewriteCheck.ArbitraryPlan(main));
        var unplanned = TfliteRewriter.Rewrite(planned, identity, null);
        Assert.DoesNotContain(new RawTfliteReader(unplanned).Metadata(), m => m.Name == OfflineMemoryAllocation.MetadataName);
        Assert.Contains(new RawTfliteReader(unplanned).Metadata(), m => m.Name == "min_runtime_version");
    }

    [Fact]
    public void An_order_that_breaks_a_dependency_is_refused_with_a_diagnostic()
    {
        var original = SampleModels.Rich().Build();
        var result = TfliteRewriter.TryRewrite(original, "rich.tflite", [1, 0, 2, 3], null);
        Assert.False(result.Succeeded);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("GD2106", d.Id);
        Assert.Contains("produces its input", d.Message);
        Assert.Throws<InvalidDataException>(() => TfliteRewriter.Rewrite(original, [0, 0, 1, 2], null));
        Assert.False(TfliteRewriter.TryRewrite(original, "rich.tflite", [0, 1, 2, 3], [1, 2]).Succeeded);
    }

    [Fact]
    public void A_damaged_model_gives_the_importer_diagnostic()
    {
        var result = TfliteRewriter.TryRewrite(new byte[] { 1, 2, 3 }, "bad.tflite", [], null);
        Assert.False(result.Succeeded);
        Assert.StartsWith("GD21", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Damaged_models_never_throw()
    {
        var valid = SampleModels.Rich().Build();
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var bytes = (byte[])valid.Clone();
            bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
            var imported = TfliteImporter.Import(bytes, "flipped.tflite");
            int ops = imported.Model?.Main.Operators.Count ?? 0;
            var result = TfliteRewriter.TryRewrite(bytes, "flipped.tflite", Enumerable.Range(0, ops).ToArray(), null);
            Assert.True(result.Succeeded || result.Diagnostics.Count == 1);
        }
    }

    [Fact]
    public void Plan_encoding_is_the_tflite_micro_layout()
    {
        var bytes = OfflineMemoryAllocation.Encode([16, -1, 0], 5);
        var words = Enumerable.Range(0, bytes.Length / 4).Select(k => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * k)));
        Assert.Equal(new[] { 0, 0, 5, 16, -1, 0, -1, -1 }, words);
    }
}
