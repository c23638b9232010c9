using GraphDsl.Importers.Tflite.Tests.TestModels;
using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.Importers.Tflite.Tests;

/// <summary>Imports models built here with FlatBufferBuilder and checks each fact against what was written.</summary>
public sealed class SyntheticModelTests
{
    private static Model ImportRich()
    {
        var result = TfliteImporter.Import(SampleModels.Rich().Build(), "rich.tflite");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Model!;
    }

    [Fact]
    public void Subgraphs_become_graphs_named_from_the_model_or_by_position()
    {
        var model = ImportRich();
        Assert.Equal(new[] { "main", "subgraph1" }, model.Graphs.Select(g => g.Name));
        Assert.Equal(new[] { "x" }, model.Graphs[1].Inputs);
        Assert.Equal(new[] { "y" }, model.Graphs[1].Outputs);
    }

    [Fact]
    public void Absent_optional_input_is_null_and_options_are_typed()
    {
        var fc = ImportRich().Main.Operators[0];
        Assert.Equal("FULLY_CONNECTED", fc.OpType);
        Assert.Equal(3, fc.Inputs.Count);
        Assert.Null(fc.Inputs[2]);
        Assert.Equal(new AttributeValue.Str("RELU6"), fc.Attributes["fused_activation_function"]);
        Assert.Equal(new AttributeValue.Int(4), fc.Attributes["version"]);
        var add = ImportRich().Main.Operators[3];
        Assert.Equal(new AttributeValue.Str("RELU"), add.Attributes["fused_activation_function"]);
        Assert.Equal(new AttributeValue.Bool(false), add.Attributes["pot_scale_int16"]);
    }

    [Fact]
    public void Custom_op_keeps_its_code_options_and_intermediates()
    {
        var model = ImportRich();
        var op = model.Main.Operators[1];
        Assert.Equal("CUSTOM", op.OpType);
        Assert.Equal(new AttributeValue.Str("MyCustomOp"), op.Attributes["custom_code"]);
        Assert.Equal(new AttributeValue.Bytes(new byte[] { 7, 8, 9 }), op.Attributes["custom_options"]);
        Assert.Equal(new AttributeValue.List(EquatableArray.Create<AttributeValue>("scratch")), op.Attributes["intermediates"]);
    }

    [Fact]
    public void Operator_code_above_127_uses_builtin_code()
    {
        Assert.Equal("GELU", ImportRich().Main.Operators[2].OpType);
    }

    [Fact]
    public void Variable_tensor_is_a_variable_and_per_axis_quantization_is_kept()
    {
        var main = ImportRich().Main;
        var state = main.Tensor("state");
        Assert.Equal(TensorKind.Variable, state.Kind);
        Assert.Equal(new AttributeValue.Bool(true), state.Attributes["is_variable"]);
        Assert.Equal(16, state.ByteSize);
        var weights = main.Tensor("weights");
        Assert.Equal(TensorKind.Constant, weights.Kind);
        Assert.Equal(new Quantization(EquatableArray.Create(0.5, 0.25), EquatableArray.Create(0L, 0L), 0), weights.Quantization);
        Assert.Equal(new ConstantData.Reference("buffer/1"), weights.Data);
        Assert.Equal(AttributeValue.Ints([-1, 4]), main.Tensor("input").Attributes["shape_signature"]);
    }

    [Fact]
    public void Sizes_are_exact_and_int4_is_packed()
    {
        var main = ImportRich().Main;
        Assert.Equal(5, main.Tensor("packed").ByteSize); // 9 four-bit elements
        Assert.Equal(16, main.Tensor("input").ByteSize);
        Assert.Equal(16, main.Tensor("external_weights").ByteSize);
    }

    [Fact]
    public void Empty_and_duplicate_names_become_unique_and_keep_the_original()
    {
        var main = ImportRich().Main;
        Assert.Equal("dup", main.Tensors[3].Name);
        Assert.Equal("dup__4", main.Tensors[4].Name);
        Assert.Equal(new AttributeValue.Str("dup"), main.Tensors[4].Attributes["tflite_name"]);
        Assert.Equal("tensor6", main.Tensors[6].Name);
        Assert.Equal(main.Tensors.Count, main.Tensors.Select(t => t.Name).Distinct().Count());
    }

    [Fact]
    public void Small_int32_constants_are_inline_and_external_buffers_are_constants()
    {
        var main = ImportRich().Main;
        Assert.Equal(new ConstantData.Inline(new byte[] { 2, 0, 0, 0, 1, 0, 0, 0 }), main.Tensors[6].Data);
        var ext = main.Tensor("external_weights");
        Assert.Equal(TensorKind.Constant, ext.Kind);
        Assert.Equal(new ConstantData.Reference("buffer/4"), ext.Data);
        Assert.Equal(TensorKind.Activation, main.Tensor("scratch").Kind);
    }

    [Fact]
    public void Model_attributes_hold_format_description_metadata_and_signatures()
    {
        var a = ImportRich().Attributes;
        Assert.Equal(new AttributeValue.Str("tflite"), a["format"]);
        Assert.Equal(new AttributeValue.Int(3), a["version"]);
        Assert.Equal(new AttributeValue.Str("synthetic"), a["description"]);
        var metadata = Assert.IsType<AttributeValue.List>(a["metadata"]);
        Assert.Equal(new AttributeValue.Record(AttributeMap.From(("name", "min_runtime_version"), ("buffer", 5L))), Assert.Single(metadata.Items));
        var signature = Assert.Single(Assert.IsType<AttributeValue.List>(a["signature_defs"]).Items);
        Assert.Equal(new AttributeValue.Str("serving_default"), ((AttributeValue.Record)signature).Fields["signature_key"]);
    }
}
