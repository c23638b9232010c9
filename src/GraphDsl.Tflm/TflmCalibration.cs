namespace GraphDsl.Tflm;

/// <summary>The TensorFlow Lite Micro source this model reproduces. Every rule in this project
/// was read in that commit (reference kernels, <c>../shared/tflm</c>); another commit may differ.</summary>
public static class TflmCalibration
{
    /// <summary>tensorflow/tflite-micro commit (2026-08-20).</summary>
    public const string Commit = "90b983c2b3f1480642e040bbd2ddb37b998f3424";

    /// <summary>Short form for tables and headers.</summary>
    public static string ShortCommit => Commit[..12];

    /// <summary><c>MicroArenaBufferAlignment()</c> (memory_helpers.h): every planned buffer is
    /// rounded up to it and the arena start is aligned to it.</summary>
    public const int ArenaAlignment = 16;
}

/// <summary>The machine TFLM runs on, as far as the arena depends on it: the planned head does
/// not, the persistent tail does (pointer-sized fields of TFLM's structs).</summary>
/// <param name="PointerBytes">sizeof(void*): 8 on the 64-bit host build the tests run, 4 on
/// 32-bit microcontrollers.</param>
public sealed record TflmTarget(int PointerBytes)
{
    /// <summary>alignof(int64_t) and alignof(double) inside structs: 8 on x86-64 and Arm, 4 on i386.</summary>
    public int Int64Alignment { get; init; } = 8;

    /// <summary>The 64-bit host build (x86-64, LP64) that the runner in tools/tflm-runner uses.</summary>
    public static TflmTarget Host64 { get; } = new(8);

    /// <summary>A 32-bit x86 build (i386, <c>g++ -m32</c>: ILP32, int64/double 4-byte aligned in structs),
    /// the 32-bit layout the runner can be built with here.</summary>
    public static TflmTarget X86_32 { get; } = new(4) { Int64Alignment = 4 };

    /// <summary>A 32-bit Arm Cortex-M (ILP32, 8-byte aligned int64/double).</summary>
    public static TflmTarget Arm32 { get; } = new(4);

    public override string ToString() => PointerBytes == 8 ? "64-bit host" : Int64Alignment == 4 ? "32-bit x86" : $"{PointerBytes * 8}-bit Arm";
}
