using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Analysis;

/// <summary>Analyses of one model instance, each computed at most once (a failed one included).</summary>
/// <remarks>The cache holds the results of the last model it was asked about; asking about another
/// instance drops them. The pass manager keeps one cache for a pipeline run, so a pass that returns
/// its input unchanged (same instance) keeps every analysis, and one that changes the model
/// invalidates them all. Thread-safe; an analysis may request other analyses while computing.</remarks>
public sealed class AnalysisCache
{
    private readonly object _gate = new();
    private readonly Dictionary<Type, object?> _results = new();
    private Model? _model;

    /// <summary>The analysis <typeparamref name="T"/> of <paramref name="model"/>, computed on first
    /// request; null when it cannot be computed (reported to <paramref name="diagnostics"/> on
    /// that first request only).</summary>
    public T? Get<T>(Model model, DiagnosticBag diagnostics) where T : class, IGraphAnalysis<T>
    {
        lock (_gate)
        {
            if (!ReferenceEquals(model, _model))
            {
                _results.Clear();
                _model = model;
            }
            if (_results.TryGetValue(typeof(T), out var cached)) return (T?)cached;
            var result = T.Compute(model, this, diagnostics);
            _results[typeof(T)] = result;
            return result;
        }
    }

    /// <summary>Drops every result unless <paramref name="model"/> is the instance they belong to.</summary>
    public void Retain(Model model)
    {
        lock (_gate)
        {
            if (ReferenceEquals(model, _model)) return;
            _results.Clear();
            _model = model;
        }
    }
}
