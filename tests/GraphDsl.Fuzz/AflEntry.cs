using SharpFuzz;

namespace GraphDsl.Fuzz;

/// <summary>Coverage-guided fuzzing with AFL++ through SharpFuzz (scripts/afl-fuzz.sh): AFL++
/// mutates files, SharpFuzz's instrumentation of the GraphDsl assemblies reports the branches each
/// input reached, and every input runs the same <see cref="FuzzJob"/> under the same
/// <see cref="Watchdog"/>. A failure verdict is thrown, which AFL++ records as a crash.</summary>
public static class AflEntry
{
    /// <summary>Thrown for a failing input so that AFL++ keeps it in its crashes folder.</summary>
    public sealed class FuzzFailure(Verdict verdict) : Exception(verdict.ToString());

    public static int Run(FuzzFormat format)
    {
        var work = Directory.CreateTempSubdirectory("graphdsl-afl-").FullName;
        Console.SetError(TextWriter.Null);
        // No instrumented code may run before SharpFuzz maps AFL's coverage memory, so the
        // plugins load in the first input.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            FuzzJob.Warm();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var measured = Watchdog.Run(() => FuzzJob.Run(format, bytes, work));
            if (measured.Verdict.IsFailure) throw new FuzzFailure(measured.Verdict);
        });
        return 0;
    }

    /// <summary>Writes the seeds of <paramref name="format"/> as files, AFL++'s input folder.</summary>
    public static int WriteSeeds(FuzzFormat format, string directory)
    {
        Directory.CreateDirectory(directory);
        int i = 0;
        foreach (var seed in Seeds.For(format, 64 << 10))
            File.WriteAllBytes(Path.Combine(directory, $"seed{i++:D3}{format.Extension()}"), seed.Bytes);
        Console.WriteLine($"{i} seeds written to {directory}");
        return 0;
    }
}
