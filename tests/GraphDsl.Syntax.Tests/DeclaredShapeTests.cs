using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Syntax;
using Xunit;

namespace GraphDsl.Syntax.Tests;

/// <summary>GD1112: a hand-written graph whose declared output shape disagrees with the operator's
/// rule is refused at the operator. Each expected shape is worked out by hand in the case's comment
/// (TFLM's kernels/padding.h for windows), not by the code under test.</summary>
public sealed class DeclaredShapeTests
{
    public static TheoryData<string, string, string> Wrong => new()
    {
        // 4 + 4 channels along axis 3.
        { "concatenation", "y: f32[1,8,8,4] = CONCATENATION(x, x) {axis=3}", "[1,8,8,8]" },
        // Negative axis -1 of rank 4 is axis 3.
        { "concatenation, negative axis", "y: f32[1,8,8,4] = CONCATENATION(x, x) {axis=-1}", "[1,8,8,8]" },
        // SAME, stride 2: ceil(8 / 2) = 4 rows and columns; 6 filters.
        { "conv same", "const w: f32[6,3,3,4]\n  y: f32[1,8,8,6] = CONV_2D(x, w) {padding=same, stride=[2, 2]}", "[1,4,4,6]" },
        // VALID, dilation 2: the 3-tap filter spans 5 rows, (8 - 5) / 1 + 1 = 4.
        { "conv valid dilated", "const w: f32[2,3,3,4]\n  y: f32[1,8,8,2] = CONV_2D(x, w) {padding=valid, stride_h=1, stride_w=1, dilation_h_factor=2, dilation_w_factor=2}", "[1,4,4,2]" },
        // Depthwise: channels are the filter's last dimension (4 inputs x multiplier 2 = 8).
        { "depthwise", "const w: f32[1,3,3,8]\n  y: f32[1,8,8,4] = DEPTHWISE_CONV_2D(x, w) {padding=same, stride=[1, 1], depth_multiplier=2}", "[1,8,8,8]" },
        // VALID 3x3 window, stride 2: (8 - 3) / 2 + 1 = 3.
        { "max pool", "y: f32[1,4,4,4] = MAX_POOL_2D(x) {padding=valid, stride=[2, 2], filter=[3, 3]}", "[1,3,3,4]" },
        // Rows padded 1 + 1, columns 2 + 0.
        { "pad", "const p: i32[4,2] = [0, 0, 1, 1, 2, 0, 0, 0]\n  y: f32[1,10,8,4] = PAD(x, p)", "[1,10,10,4]" },
        // Broadcasting a [4] constant over [1,8,8,4] keeps [1,8,8,4].
        { "add broadcast", "const c: f32[4]\n  y: f32[1,8,8,1] = ADD(x, c)", "[1,8,8,4]" },
        // 256 elements in rows of depth 16: 16 rows of 3 units.
        { "fully connected", "const w: f32[3,16]\n  y: f32[1,3] = FULLY_CONNECTED(x, w)", "[16,3]" },
        // Same shape as the input.
        { "relu", "y: f32[1,8,8,2] = RELU(x)", "[1,8,8,4]" },
        // RESHAPE keeps the 256 elements.
        { "reshape", "const s: i32[2] = [1, 250]\n  y: f32[1,250] = RESHAPE(x, s)", "256 elements" },
    };

    private static ReadResult Load(string body) =>
        ModelLoader.Verified(GraphDslSyntax.Parse($"graph main(x: f32[1,8,8,4]) -> (y) {{\n  {body}\n}}\n", "case.gdsl"), checkShapes: true);

    [Theory]
    [MemberData(nameof(Wrong))]
    public void A_wrong_declared_shape_is_refused_at_its_operator(string name, string body, string expected)
    {
        var result = Load(body);
        Assert.Null(result.Model);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("GD1112", d.Id);
        Assert.Contains("gives " + expected, d.Message);
        var span = Assert.IsType<SourceSpan>(d.Location);
        Assert.True(span.Line == body.Split('\n').Length + 1 && span.Column == 3, $"{name}: at {span.Line}:{span.Column}");
    }

    [Theory]
    [MemberData(nameof(Wrong))]
    public void The_right_shape_loads(string name, string body, string expected)
    {
        if (!expected.StartsWith('[')) return; // RESHAPE: any shape of 256 elements; checked below
        var right = body[..body.LastIndexOf("y: f32", StringComparison.Ordinal)] + "y: f32" + expected + body[body.IndexOf(" = ", body.LastIndexOf("y: f32", StringComparison.Ordinal), StringComparison.Ordinal)..];
        var result = Load(right);
        Assert.True(result.Succeeded, name + ": " + string.Join("\n", result.Diagnostics));
        Assert.True(Load("const s: i32[2] = [4, 64]\n  y: f32[4,64] = RESHAPE(x, s)").Succeeded);
    }

    public static TheoryData<string, string> BadOperands => new()
    {
        { "y: f32[1,8,8,4] = CONV_2D(x, w) {padding=sme, stride=[1, 1]}", "padding 'sme' is neither same nor valid" },
        { "y: f32[1,8,8,4] = CONV_2D(x, w) {padding=same, stride=[0, 0]}", "stride 0x0 is not positive" },
        // 3 filter channels do not divide 4 input channels.
        { "y: f32[1,8,8,4] = CONV_2D(x, w3) {padding=same, stride=[1, 1]}", "reads 3 channels, which do not divide the input's 4" },
        { "y: f32[1,8,8,8] = CONCATENATION(x, x) {axis=7}", "axis 7 is outside the inputs' rank 4" },
        { "y: f32[1,8,8,4] = MAX_POOL_2D(x) {padding=valid, stride=[1, 1], filter=[0, 2]}", "filter 0x2 is not positive" },
        { "const c: f32[3]\n  y: f32[1,8,8,4] = ADD(x, c)", "do not broadcast" },
    };

    [Theory]
    [MemberData(nameof(BadOperands))]
    public void Impossible_operands_and_attributes_are_refused_at_the_operator(string body, string reason)
    {
        var result = Load("const w: f32[4,3,3,4]\n  const w3: f32[4,3,3,3]\n  " + body);
        Assert.Null(result.Model);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("GD1113", d.Id);
        Assert.Contains(reason, d.Message);
    }

    [Fact]
    public void A_graph_written_for_memory_alone_is_not_checked_where_it_says_nothing()
    {
        // No weights, strides or axis: nothing to check, nothing refused.
        Assert.True(Load("y: f32[1,8,8,4] = CONV_2D(x)").Succeeded);
        Assert.True(Load("y: f32[1,8,8,8] = CONCATENATION(x, x)").Succeeded);
    }

    [Fact]
    public void Imported_models_are_not_held_to_the_graph_language_check()
    {
        // Verified without checkShapes (importers): the structure alone.
        var text = "graph main(x: f32[1,8,8,4]) -> (y) {\n  y: f32[1,8,8,4] = CONCATENATION(x, x) {axis=3}\n}\n";
        Assert.True(ModelLoader.Verified(GraphDslSyntax.Parse(text, "case.gdsl")).Succeeded);
    }
}
