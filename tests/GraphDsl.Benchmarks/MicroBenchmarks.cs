using BenchmarkDotNet.Attributes;
using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning;
using GraphDsl.Loading;
using GraphDsl.Scheduling;

namespace GraphDsl.Benchmarks;

/// <summary>BenchmarkDotNet micro-benchmarks (the <c>--bdn</c> switch) of the three timed stages
/// on a small, a branched and the largest-by-operators corpus model. Slower and more careful than
/// the tables' quick harness; not part of the README.</summary>
[MemoryDiagnoser]
public class MicroBenchmarks
{
    private string _path = "";
    private MemoryProblem _problem = null!;
    private int[] _order = [];
    private readonly ArenaPlanOptions _options = new();
    private IArenaStrategy _strategy = null!;

    [Params("pretrainedResnet_quant.tflite", "light_inception_v1.onnx", "light_densenet121.onnx")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(RepositoryLocation.ModelsFolder(null) ?? ".", Model);
        var graph = ModelLoader.Load(_path).Model?.Main ?? throw new InvalidOperationException("cannot load " + _path);
        _problem = MemoryProblem.Create(graph);
        _order = OrderSearch.Run(_problem).Order;
        _strategy = ArenaStrategies.Create(_options.Strategy, new ArenaStrategyOptions(_options.BudgetMilliseconds))!;
    }

    [Benchmark]
    public object Import() => ModelLoader.Load(_path);

    [Benchmark]
    public object OrderSearchRun() => OrderSearch.Run(_problem);

    [Benchmark]
    public object ArenaPlan() => ArenaPlanner.Plan(_problem, _order, _options, _strategy);
}
