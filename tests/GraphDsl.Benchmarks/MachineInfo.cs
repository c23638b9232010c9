using System.Runtime.InteropServices;

namespace GraphDsl.Benchmarks;

/// <summary>The machine the figures were measured on, for the first line of every report.</summary>
internal sealed record MachineInfo(int Cores, string Cpu, string Runtime, string OperatingSystem, long MemoryBytes)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        CpuModel(),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    public override string ToString() =>
        $"{Cores} cores, {Cpu}, {Math.Round(MemoryBytes / (1024.0 * 1024 * 1024), 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} GiB RAM, {Runtime}, {OperatingSystem}";

    // /proc/cpuinfo names the model on x86 ("model name") and on some ARM kernels ("Hardware" or
    // "Model"); elsewhere only the architecture is known.
    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (var key in new[] { "model name", "Hardware", "Model" })
                {
                    var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal) && l.Contains(':'));
                    if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
