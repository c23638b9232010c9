using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.Tflm.Tests;

/// <summary>The persistent section on a hand-worked example: one int8 FULLY_CONNECTED, per-tensor
/// quantized, worked out from TFLM's struct layouts and its downward, per-allocation alignment
/// (single_arena_buffer_allocator.cc: tail = AlignPointerDown(tail - size, alignment)). The model's
/// agreement with TFLM itself on real models is in <see cref="TflmArenaModelTests"/>.</summary>
public sealed class TflmPersistentSectionTests
{
    private static readonly Quantization Q = Quantization.PerTensor(0.05, -128);

    private static Model FullyConnected() => Model.Of(new Graph("main",
        EquatableArray.Create(
            new Tensor("x", new TensorType(DataType.Int8, Shape.Of(1, 4))) { Quantization = Q },
            new Tensor("w", new TensorType(DataType.Int8, Shape.Of(2, 4))) { Kind = TensorKind.Constant, Quantization = Quantization.PerTensor(0.01, 0) },
            new Tensor("y", new TensorType(DataType.Int8, Shape.Of(1, 2))) { Quantization = Q }),
        EquatableArray.Create(new Operator("FULLY_CONNECTED", EquatableArray.Create<string?>("x", "w", null), EquatableArray.Create<string?>("y"))),
        EquatableArray.Create("x"), EquatableArray.Create("y")));

    [Fact]
    public void One_fully_connected_on_a_64_bit_host()
    {
        // Running total, bytes: allocator objects 72 + 72 + 72 = 216; MicroBuiltinDataAllocator 16
        // -> 232; SubgraphAllocations 16 -> 248; TfLiteEvalTensor[3] 72 -> 320;
        // NodeAndRegistration[1] 64 -> 384; TfLiteFullyConnectedParams 16 (align 4) -> 400;
        // OpDataFullyConnected 64 (align 16) -> 464; inputs: TfLiteTensor*[1] 8 (align 16) -> 480,
        // TfLiteTensor 64 -> 544, TfLiteAffineQuantization 24 -> 568, zero points 4+4 -> 576;
        // outputs: 8 (align 16) 576 -> 592, 64 -> 656, 24 -> 680, 8 -> 688.
        var arena = TflmArenaModel.Compute(FullyConnected(), TflmTarget.Host64);
        Assert.True(arena.IsExact, arena.EstimateSummary);
        Assert.Equal(688, arena.TailBytes);
        Assert.Equal(arena.HeadBytes + 688, arena.TotalBytes);
        Assert.Equal(688, arena.Tail.Sum(i => i.Bytes));
    }

    [Fact]
    public void One_fully_connected_on_32_bits_takes_the_padding_at_other_places()
    {
        // 36 + 44 + 36 = 116; +8 -> 124; +8 -> 132; 3 x 12 -> 168; 32 -> 200; params 16 -> 216;
        // OpDataFullyConnected 48: 264, rounded up to 16 -> 272; inputs: 4 -> 276 -> 288 (align 16),
        // TfLiteTensor 40 -> 328, quantization 12 -> 340, zero points 8 -> 348; outputs: 4 -> 352,
        // 40 -> 392, 12 -> 404, 8 -> 412.
        var arena = TflmArenaModel.Compute(FullyConnected(), TflmTarget.X86_32);
        Assert.True(arena.IsExact, arena.EstimateSummary);
        Assert.Equal(412, arena.TailBytes);
    }

    [Fact]
    public void A_kernel_the_table_does_not_know_makes_the_tail_an_estimate_naming_it()
    {
        var model = FullyConnected();
        var graph = model.Main with { Operators = EquatableArray.Create(model.Main.Operators[0] with { OpType = "NOT_A_TFLM_OP" }) };
        var arena = TflmArenaModel.Compute(Model.Of(graph));
        Assert.False(arena.IsExact);
        Assert.Contains(arena.Estimates, e => e.Operator == "NOT_A_TFLM_OP" && e.Reason.Contains("persistent data is not modelled", StringComparison.Ordinal));
    }
}
