using System.Globalization;

namespace Orleans.Batch.Hosting.Cluster.Backends.Local;

/// <summary>
/// How many local silos this machine can run: each is a .NET process that needs about 130 MiB and, idle, a fifth
/// of a core (membership probes every second). Past four silos per core or 256 MiB each, silos miss their probes,
/// declare each other dead, and the machine stops answering; that work belongs on AWS Batch.
/// </summary>
public static class LocalSiloLimit
{
    /// <summary>Silos per core.</summary>
    public const int SilosPerCore = 4;

    /// <summary>Memory set aside per silo.</summary>
    public const long BytesPerSilo = 256L * 1024 * 1024;

    /// <summary>The limit on this machine: the smaller of <see cref="SilosPerCore"/> per core and one per <see cref="BytesPerSilo"/>, at least 1.</summary>
    public static int ForThisMachine => Compute(Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>The limit for <paramref name="cores"/> cores and <paramref name="memoryBytes"/> of memory.</summary>
    /// <param name="cores">Processor count.</param>
    /// <param name="memoryBytes">Memory available to this process.</param>
    /// <returns>The limit.</returns>
    public static int Compute(int cores, long memoryBytes) =>
        (int)Math.Max(1, Math.Min((long)cores * SilosPerCore, memoryBytes / BytesPerSilo));

    /// <summary>Why the limit is what it is, for the error message.</summary>
    public static string Explain() => string.Create(
        CultureInfo.InvariantCulture,
        $"{SilosPerCore} per core on {Environment.ProcessorCount} cores, 256 MiB each of {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB");
}
