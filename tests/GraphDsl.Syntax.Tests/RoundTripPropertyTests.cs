using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.Syntax.Tests;

/// <summary>parse(print(m)) == m for a few hundred random models, and printing is a fixed point.</summary>
public class RoundTripPropertyTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int batch = 0; batch < 10; batch++) data.Add(batch);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_models_round_trip(int batch)
    {
        for (int i = 0; i < 40; i++)
        {
            var seed = batch * 1000 + i;
            var model = new RandomModels(seed).Model();
            var text = IrPrinter.Print(model);
            var parsed = GraphDslSyntax.Parse(text, "random.gdsl");
            Assert.True(parsed.Succeeded, $"seed {seed}:\n{string.Join("\n", parsed.Diagnostics)}\n{text}");
            Assert.True(model.Equals(parsed.Model), $"seed {seed}: model differs after parse(print(m)):\n{text}\n---\n{IrPrinter.Print(parsed.Model!)}");
            Assert.Equal(text, IrPrinter.Print(parsed.Model!));
            Assert.Empty(IrVerifier.Verify(parsed.Model!));
        }
    }

    /// <summary>Guards the generator: the printed corpus really contains every construct the
    /// round trip is meant to cover, so a passing property is not a vacuous one.</summary>
    [Fact]
    public void Random_models_cover_every_construct()
    {
        var corpus = string.Join("\n", Enumerable.Range(0, 200).Select(seed => IrPrinter.Print(new RandomModels(seed).Model())));
        string[] constructs =
        [
            "[*]", "[]", ",?", "q(axis=", "q(scale=", "nan", "-inf", "-0.0", "b\"", "= [", "= data(", "= b\"",
            "var ", "const ", "@", "={", "=[]", "\"model", "\\n", "\\u0001", "\\ud83d", "op ", "_,", "(_", "() =",
            "com.microsoft.FusedConv", "\"q\"", "-9223372036854775808", "E-", "E+", "true", "false", "attributes {", "\ngraph ",
        ];
        Assert.All(constructs, c => Assert.Contains(c, corpus));
    }
}
