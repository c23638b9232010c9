using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace GraphDsl.Lowering.Tests;

/// <summary>Runs two ONNX models in ONNX Runtime on the same random inputs and compares their outputs.</summary>
internal static class OnnxRuntimeCheck
{
    /// <summary>Largest |actual - expected| over the outputs of both models on <paramref name="inputs"/>
    /// random inputs (uniform in [-1, 1], from <paramref name="seed"/>), asserting
    /// |actual - expected| &lt;= absolute + relative |expected| element by element (0 and 0: equal
    /// bits) and that the original's outputs are finite.</summary>
    public static double AssertSameOutputs(byte[] original, byte[] lowered, int inputs, int seed, double absolute, double relative)
    {
        using var expectedSession = new InferenceSession(original);
        using var actualSession = new InferenceSession(lowered);
        var random = new Random(seed);
        double worst = 0;
        for (int n = 0; n < inputs; n++)
        {
            var feeds = RandomFeeds(expectedSession, random);
            using var expected = expectedSession.Run(feeds);
            using var actual = actualSession.Run(feeds);
            Assert.Equal(expected.Count, actual.Count);
            foreach (var (e, a) in expected.Zip(actual))
            {
                Assert.Equal(e.Name, a.Name);
                var ev = e.AsEnumerable<float>().ToArray();
                var av = a.AsEnumerable<float>().ToArray();
                Assert.Equal(ev.Length, av.Length);
                Assert.True(ev.Length > 0);
                for (int i = 0; i < ev.Length; i++)
                {
                    double diff = Math.Abs((double)av[i] - ev[i]);
                    Assert.True(float.IsFinite(ev[i]), $"original output {e.Name}[{i}] = {ev[i]}");
                    Assert.True(diff <= absolute + relative * Math.Abs(ev[i]), $"{e.Name}[{i}]: rewritten {av[i]}, original {ev[i]} (input {n})");
                    worst = Math.Max(worst, diff);
                }
            }
        }
        return worst;
    }

    /// <summary>Every output value of the model on one random input from <paramref name="seed"/>.</summary>
    public static float[] OutputsFor(InferenceSession session, int seed)
    {
        using var results = session.Run(RandomFeeds(session, new Random(seed)));
        return results.SelectMany(r => r.AsEnumerable<float>()).ToArray();
    }

    private static List<NamedOnnxValue> RandomFeeds(InferenceSession session, Random random) =>
        session.InputMetadata.Select(kv =>
        {
            var tensor = new DenseTensor<float>(kv.Value.Dimensions.Select(d => d > 0 ? d : 1).ToArray());
            for (int i = 0; i < tensor.Length; i++) tensor.SetValue(i, (float)(random.NextDouble() * 2 - 1));
            return NamedOnnxValue.CreateFromTensor(kv.Key, tensor);
        }).ToList();
}
