using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.Syntax.Tests;

/// <summary>Hand-writing conveniences mean the same as their canonical spelling, written out by hand.</summary>
public class ConvenienceSyntaxTests
{
    private const string Convenient = """
        /* no model line; typed parameters; results typed where they are defined */
        graph main(x: i8[1,8,8,4] q(scale=0.5, zero_point=-3), n) -> (y) {
          @peak;
          const w: i8[4,1,1,4] q(axis=0, scale=[1, 2.5, 0.25, 1E-3], zero_point=[0, 0, 0, 0]) = data("w");
          tensor n: f32[];   // declared in the body instead
          op first: a: i8[1,8,8,4] q(scale=0.5, zero_point=-3), _ = CONV_2D(x, w, _) {padding=same, act={kind=relu6}};
          y: f32[1,8,8,4] = DEQUANTIZE(a)
        }
        graph "other graph"() -> () {}
        """;

    private const string Canonical = """
        graph main(x, n) -> (y) {
          @peak
          tensor x: i8[1,8,8,4] q(scale=0.5, zero_point=-3)
          const w: i8[4,1,1,4] q(axis=0, scale=[1.0, 2.5, 0.25, 0.001], zero_point=[0, 0, 0, 0]) = data("w")
          tensor n: f32[]
          tensor a: i8[1,8,8,4] q(scale=0.5, zero_point=-3)
          tensor y: f32[1,8,8,4]

          op first: a, _ = CONV_2D(x, w, _) {padding="same", act={kind="relu6"}}
          y = DEQUANTIZE(a)
        }

        graph "other graph"() -> () {
        }

        """;

    [Fact]
    public void Convenient_text_parses_to_the_model_of_its_canonical_spelling()
    {
        var convenient = GraphDslSyntax.Parse(Convenient, "convenient.gdsl");
        Assert.True(convenient.Succeeded, string.Join("\n", convenient.Diagnostics));
        var canonical = GraphDslSyntax.Parse(Canonical.Replace("\r\n", "\n"), "canonical.gdsl");
        Assert.True(canonical.Succeeded, string.Join("\n", canonical.Diagnostics));
        Assert.Equal(canonical.Model, convenient.Model);
        Assert.Equal(Canonical.Replace("\r\n", "\n"), IrPrinter.Print(convenient.Model!));
        Assert.Empty(IrVerifier.Verify(convenient.Model!));
    }

    [Fact]
    public void Inline_constants_are_encoded_per_element_type()
    {
        var text = "graph g() -> () {\n  const a: i16[2] = [-2, 258]\n  const b: f16[1] = [0.5]\n  const c: u4[2] = b\"1f\"\n  const d: bool[2] = [true, false]\n}\n";
        var g = GraphDslSyntax.Parse(text, "c.gdsl").Model!.Main;
        byte[] Bytes(string name) => ((ConstantData.Inline)g.Tensor(name).Data!).Bytes.ToArray();
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0x02, 0x01 }, Bytes("a")); // little-endian int16
        Assert.Equal(new byte[] { 0x00, 0x38 }, Bytes("b"));             // IEEE half 0.5 = 0x3800
        Assert.Equal(new byte[] { 0x1F }, Bytes("c"));
        Assert.Equal(new byte[] { 1, 0 }, Bytes("d"));
    }
}
