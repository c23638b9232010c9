using Xunit;

namespace GraphDsl.TestKit;

/// <summary>The real models in <c>../shared/models</c> (or the folder named by the environment
/// variable <c>GRAPHDSL_MODELS</c>). Tests never copy them into the repository.</summary>
/// <remarks>Where the corpus is absent the tests that need it are skipped with a message that says
/// so and where it was looked for; CI always has it (.ci/run fails without it).</remarks>
public static class CorpusModels
{
    public const string EnvironmentVariable = "GRAPHDSL_MODELS";

    public static string Directory { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "models"));

    public static bool Available => System.IO.Directory.Exists(Directory);

    /// <summary>Skips the calling [SkippableFact]/[SkippableTheory] loudly when the corpus is absent.</summary>
    public static void RequireCorpus() =>
        Skip.IfNot(Available, $"MODEL CORPUS NOT FOUND at {Directory}: set {EnvironmentVariable} or provide ../shared/models. Corpus tests skipped.");

    /// <summary>Full path of one corpus file; skips when the corpus is absent.</summary>
    public static string PathOf(string fileName)
    {
        RequireCorpus();
        var path = Path.Combine(Directory, fileName);
        Skip.IfNot(File.Exists(path), $"Corpus model {fileName} not found in {Directory}.");
        return path;
    }

    /// <summary>File names with the given extension (".tflite", ".onnx"), sorted; for theories use
    /// <see cref="TheoryData"/>. Returns a single placeholder when the corpus is absent, so that the
    /// theory still runs once and reports itself skipped instead of silently running nothing.</summary>
    public static IEnumerable<object[]> TheoryData(string extension)
    {
        if (!Available) return [["(corpus absent)"]];
        return System.IO.Directory.GetFiles(Directory, "*" + extension)
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => new object[] { f! });
    }
}
