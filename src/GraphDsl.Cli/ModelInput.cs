using System.CommandLine;
using GraphDsl.Ir;
using GraphDsl.Loading;

namespace GraphDsl.Cli;

/// <summary>How every command reads its model: through <see cref="ModelLoader"/>, with the
/// <c>--dim NAME=N</c> option that fixes symbolic ONNX dimensions (dynamic batch or image size),
/// so that a model with dynamic dims can be planned for the size the device will run.</summary>
public static class ModelInput
{
    /// <summary>A new <c>--dim</c> option for one command (an option belongs to one command).</summary>
    public static Option<string[]> DimOption() => new("--dim")
    {
        Description = "Value of a symbolic ONNX dimension, NAME=N (repeatable), e.g. --dim batch=1.",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };

    /// <summary>Reads <paramref name="path"/>; a malformed or unknown <c>--dim</c> is an error.</summary>
    public static ReadResult Load(string path, IReadOnlyList<string>? dims) => ModelLoader.Load(path, dims ?? []);
}
