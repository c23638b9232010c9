namespace GraphDsl.TestKit;

/// <summary>A fresh directory per test (xunit makes one instance per test), removed afterwards:
/// whatever a test writes goes only there.</summary>
public abstract class InTempDirectory : IDisposable
{
    protected string Dir { get; } = Directory.CreateTempSubdirectory("graphdsl-test-").FullName;

    /// <summary>The path of <paramref name="name"/> inside <see cref="Dir"/>.</summary>
    protected string P(string name) => Path.Combine(Dir, name);

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
