using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.Ir.Tests;

/// <summary>Tensor byte sizes against the element sizes the formats define: onnx.proto's
/// TensorProto.DataType (4-bit types packed two per byte, ONNX IR v10), TFLite's schema.fbs and
/// TFLM's TfLiteTypeSizeOf (memory_helpers.cc: a resource handle is an int32).</summary>
public sealed class TensorSizeTests
{
    public static TheoryData<DataType, long[], long?> Sizes => new()
    {
        { DataType.Float32, [2, 3], 24 },
        { DataType.Float16, [5], 10 },
        { DataType.BFloat16, [1, 7], 14 },
        { DataType.Float64, [3], 24 },
        { DataType.Int8, [1, 96, 96, 3], 27_648 },
        { DataType.UInt8, [10], 10 },
        { DataType.Int16, [4, 4], 32 },
        { DataType.UInt16, [3], 6 },
        { DataType.Int32, [6], 24 },
        { DataType.UInt32, [2], 8 },
        { DataType.Int64, [2, 2], 32 },
        { DataType.UInt64, [1], 8 },
        { DataType.Bool, [5], 5 },
        { DataType.Complex64, [2], 16 },
        { DataType.Complex128, [2], 32 },
        { DataType.Int4, [3], 2 },      // 3 nibbles -> 2 bytes
        { DataType.UInt4, [4], 2 },
        { DataType.Float4E2M1, [1], 1 },
        { DataType.Float8E4M3FN, [9], 9 },
        { DataType.Float8E5M2FNUZ, [9], 9 },
        { DataType.Resource, [1], 4 },
        { DataType.String, [4], null }, // no fixed element size
        { DataType.Float32, [], 4 },    // a scalar holds one element
        { DataType.Int8, [0, 8], 0 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Byte_size_follows_the_element_size_of_the_format(DataType type, long[] dims, long? bytes) =>
        Assert.Equal(bytes, new TensorType(type, Shape.Of(dims)).ByteSize);

    [Fact]
    public void A_symbolic_or_unknown_dimension_has_no_byte_size()
    {
        Assert.Null(new TensorType(DataType.Int8, new Shape(new[] { Dim.Named("batch"), Dim.Known(4) }.ToEquatableArray())).ByteSize);
        Assert.Null(new TensorType(DataType.Int8, new Shape(new[] { Dim.Unknown }.ToEquatableArray())).ByteSize);
        Assert.Null(new TensorType(DataType.Int8, Shape.UnknownRank).ByteSize);
    }

    [Fact]
    public void The_largest_accepted_tensor_is_int32_max_bytes_and_one_more_is_refused()
    {
        Assert.Null(new TensorType(DataType.Int8, Shape.Of(int.MaxValue)).SizeProblem());
        Assert.Contains("more than 2147483647 bytes", new TensorType(DataType.Int8, Shape.Of(int.MaxValue + 1L)).SizeProblem());
        // 2^30 float32 elements = 2^32 bytes.
        Assert.NotNull(new TensorType(DataType.Float32, Shape.Of(1L << 30)).SizeProblem());
        // 4-bit: 2^32 - 2 nibbles are 2^31 - 1 bytes, the limit exactly.
        Assert.Null(new TensorType(DataType.Int4, Shape.Of((1L << 32) - 2)).SizeProblem());
    }

    [Fact]
    public void A_product_far_beyond_int64_is_refused_without_overflowing()
    {
        var huge = new TensorType(DataType.Float32, Shape.Of(1L << 40, 1L << 40, 1L << 40));
        Assert.Contains("more than", huge.SizeProblem());
        Assert.Equal("a dimension is negative", new TensorType(DataType.Int8, Shape.Of(4, -1)).SizeProblem());
    }

    [Fact]
    public void Every_type_name_parses_back_to_its_type()
    {
        foreach (var type in Enum.GetValues<DataType>())
        {
            Assert.True(DataTypes.TryParse(type.ToText(), out var parsed), type.ToString());
            Assert.Equal(type, parsed);
        }
        Assert.Equal(Enum.GetValues<DataType>().Length, DataTypes.Names.Distinct().Count());
        Assert.False(DataTypes.TryParse("float", out _));
    }
}
