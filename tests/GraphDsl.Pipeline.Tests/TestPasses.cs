using GraphDsl.Ir;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline.Tests;

/// <summary>Passes that misbehave on purpose, registered in-process.</summary>
internal static class TestPasses
{
    public static PassDescriptor Describe(string name, string[]? requires = null, string[]? provides = null, PassOption[]? options = null) =>
        new(name, "test pass", PassKind.Analysis, requires ?? [], provides ?? [], options ?? [], []);

    public sealed class Throwing : IGraphPass
    {
        public PassDescriptor Descriptor { get; } = Describe("throws");
        public PassResult Run(Model model, PassContext context) => throw new InvalidOperationException("boom from the pass");
    }

    /// <summary>Ignores its cancellation token until the test releases it.</summary>
    public sealed class Looping(ManualResetEventSlim release) : IGraphPass
    {
        public PassDescriptor Descriptor { get; } = Describe("loops");
        public PassResult Run(Model model, PassContext context)
        {
            release.Wait();
            return PassResult.Unchanged(model);
        }
    }

    /// <summary>Loops until cancelled, then throws OperationCanceledException (a well-behaved long pass).</summary>
    public sealed class Cooperative : IGraphPass
    {
        public PassDescriptor Descriptor { get; } = Describe("cooperative");
        public PassResult Run(Model model, PassContext context)
        {
            while (true)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>Returns a copy while claiming nothing changed.</summary>
    public sealed class Lying : IGraphPass
    {
        public PassDescriptor Descriptor { get; } = Describe("lies");
        public PassResult Run(Model model, PassContext context) => new(model with { Name = "copy" }, false);
    }

    /// <summary>Annotates the model with a counter; options and capabilities for binder tests.</summary>
    public sealed class Marking(string name, string[] requires, string[] provides) : IGraphPass
    {
        public PassDescriptor Descriptor { get; } = Describe(name, requires, provides,
            [PassOption.Int("align", 16, "alignment"), PassOption.Flag("fast", false, "go fast"), PassOption.Text("strategy", "greedy", "strategy")]);
        public PassResult Run(Model model, PassContext context) =>
            PassResult.From(model, model with { Annotations = model.Annotations.With(name, context.Options.Get<long>("align")) });
    }
}
