using GraphDsl.Importers.Tflite.Tests.TestModels;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Importers.Tflite.Tests;

/// <summary>Bad input gives one GD21xx error with a location in the file, never an exception.</summary>
public sealed class MalformedInputTests
{
    private const string Path = "bad.tflite";

    private static readonly byte[] Valid = SampleModels.Rich().Build();

    private static Diagnostic SingleError(ReadResult result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Model);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.StartsWith("GD21", d.Id);
        var location = Assert.IsType<ModelLocation>(d.Location);
        Assert.Equal(Path, location.Path);
        Assert.False(string.IsNullOrEmpty(location.Fragment));
        return d;
    }

    [Fact]
    public void Zero_length_file()
    {
        var d = SingleError(TfliteImporter.Import(Array.Empty<byte>(), Path));
        Assert.Equal("GD2102", d.Id);
        Assert.Contains("empty", d.Message);
    }

    [Fact]
    public void Wrong_file_identifier()
    {
        var bytes = (byte[])Valid.Clone();
        "ONNX"u8.CopyTo(bytes.AsSpan(4));
        var d = SingleError(TfliteImporter.Import(bytes, Path));
        Assert.Equal("GD2102", d.Id);
        Assert.Equal("bad.tflite#byte 4", d.Location!.ToString());
        Assert.Contains("\"ONNX\"", d.Message);
    }

    [Fact]
    public void Root_offset_outside_the_buffer()
    {
        var bytes = (byte[])Valid.Clone();
        BitConverter.GetBytes(0x7FFFFF00).CopyTo(bytes, 0);
        var d = SingleError(TfliteImporter.Import(bytes, Path));
        Assert.Equal("GD2103", d.Id);
        Assert.Contains("byte 0", d.Location!.ToString());
    }

    [Fact]
    public void Buffer_index_out_of_range_names_the_tensor()
    {
        var m = SampleModels.Rich();
        m.Subgraphs[0].Tensors[1] = m.Subgraphs[0].Tensors[1] with { Buffer = 99 };
        var d = SingleError(TfliteImporter.Import(m.Build(), Path));
        Assert.Equal("GD2104", d.Id);
        Assert.Equal("bad.tflite#subgraph0/tensor1", d.Location!.ToString());
    }

    [Fact]
    public void Operand_index_out_of_range_names_the_operator()
    {
        var m = SampleModels.Rich();
        m.Subgraphs[0].Operators[2] = m.Subgraphs[0].Operators[2] with { Inputs = [42] };
        var d = SingleError(TfliteImporter.Import(m.Build(), Path));
        Assert.Equal("bad.tflite#subgraph0/op2", d.Location!.ToString());
    }

    [Fact]
    public void Tensor_type_without_a_size_names_the_tensor()
    {
        var m = SampleModels.Rich();
        m.Subgraphs[0].Tensors[2] = m.Subgraphs[0].Tensors[2] with { Type = 14 }; // VARIANT
        var d = SingleError(TfliteImporter.Import(m.Build(), Path));
        Assert.Equal("GD2105", d.Id);
        Assert.Equal("tensor type VARIANT is not supported: it has no fixed byte size (TensorFlow Lite Micro cannot allocate it either)", d.Message);
        Assert.Equal("bad.tflite#subgraph0/tensor2", d.Location!.ToString());
    }

    [Fact]
    public void Missing_file_is_reported_not_thrown()
    {
        var result = TfliteImporter.Import("/nonexistent/dir/model.tflite");
        Assert.Equal("GD2101", Assert.Single(result.Diagnostics).Id);
    }

    public static IEnumerable<object[]> Sixteenths => Enumerable.Range(0, 16).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Sixteenths))]
    public void Truncated_at_every_sixteenth(int k)
    {
        var bytes = Valid.AsSpan(0, Valid.Length * k / 16).ToArray();
        SingleError(TfliteImporter.Import(bytes, Path));
    }

    [Fact]
    public void Random_byte_flips_never_throw_and_fail_with_one_error()
    {
        int failures = 0;
        for (int seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var bytes = (byte[])Valid.Clone();
            int flips = 1 + random.Next(4);
            for (int i = 0; i < flips; i++) bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
            var result = TfliteImporter.Import(bytes, Path);
            if (result.Succeeded)
            {
                Assert.Empty(result.Diagnostics);
                _ = IrPrinter.Print(result.Model!); // a model that imports must also print
                _ = result.Model!.Graphs.SelectMany(g => g.Tensors).Select(t => t.ByteSize).ToList();
            }
            else
            {
                SingleError(result);
                failures++;
            }
        }
        Assert.True(failures > 0, "no flip was detected at all: the test does not exercise the checks");
    }
}

/// <summary>The same damage applied to a real corpus model.</summary>
public sealed class MalformedCorpusInputTests
{
    [SkippableFact]
    public void Truncations_and_byte_flips_of_a_corpus_model_give_one_error_or_a_model()
    {
        var path = GraphDsl.TestKit.CorpusModels.PathOf("hello_world_int8.tflite");
        var valid = File.ReadAllBytes(path);
        for (int k = 0; k < 16; k++)
        {
            var result = TfliteImporter.Import(valid.AsSpan(0, valid.Length * k / 16).ToArray(), path);
            Assert.False(result.Succeeded);
            Assert.Single(result.Diagnostics);
            Assert.Equal(path, result.Diagnostics[0].Location!.Path);
        }
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var bytes = (byte[])valid.Clone();
            bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
            var result = TfliteImporter.Import(bytes, path);
            Assert.True(result.Succeeded || result.Diagnostics.Count == 1);
        }
    }
}
