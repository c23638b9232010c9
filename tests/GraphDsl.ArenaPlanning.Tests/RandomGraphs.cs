using GraphDsl.Ir;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>Random NCHW (batch 1) float graphs mixing operators that allow every reuse kind
/// (Reshape views, in-place Relu/Add, channel Concat) with ones that allow none (Conv, Pool).</summary>
internal static class RandomGraphs
{
    public static Graph Create(int seed, int operators)
    {
        var random = new Random(seed);
        var b = new GraphBuilder();
        var channels = new Dictionary<string, long>();
        var available = new List<string>();
        string Add(string name, long c) { channels[name] = c; available.Add(name); return name; }
        long[] Shape(long c) => [1, c, 2, 2];

        Add(b.Input("in", DataType.Float32, Shape(2)), 2);
        for (int i = 0; i < operators; i++)
        {
            string name = "t" + i;
            // Prefer recent tensors so lifetimes are short and buffers can be reused.
            string Pick() => available[Math.Max(0, available.Count - 1 - random.Next(Math.Min(available.Count, 4)))];
            var x = Pick();
            switch (random.Next(6))
            {
                case 0:
                {
                    long c = random.Next(1, 6);
                    Add(b.Op("Conv", name, DataType.Float32, Shape(c), x), c);
                    break;
                }
                case 1:
                    Add(b.Op("Relu", name, DataType.Float32, Shape(channels[x]), x), channels[x]);
                    break;
                case 2:
                {
                    var same = available.Where(t => channels[t] == channels[x] && t != x).ToList();
                    var y = same.Count > 0 ? same[random.Next(same.Count)] : x;
                    Add(b.Op("Add", name, DataType.Float32, Shape(channels[x]), x, y), channels[x]);
                    break;
                }
                case 3:
                {
                    var y = Pick();
                    if (y == x) goto case 1;
                    long c = channels[x] + channels[y];
                    Add(b.Op("Concat", name, DataType.Float32, Shape(c), GraphBuilder.Axis(1), x, y), c);
                    break;
                }
                case 4:
                    // A view: same bytes, flattened shape; kept NCHW-shaped for later operators.
                    Add(b.Op("Reshape", name, DataType.Float32, Shape(channels[x]), x), channels[x]);
                    break;
                default:
                    Add(b.Op("MaxPool", name, DataType.Float32, Shape(channels[x]), x), channels[x]);
                    break;
            }
        }
        b.Output(available[^1]);
        if (random.Next(3) == 0 && available.Count > 2) b.Output(available[random.Next(1, available.Count - 1)]);
        return b.Build();
    }
}
