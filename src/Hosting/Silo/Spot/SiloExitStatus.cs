namespace Orleans.Batch.Hosting.Silo.Spot;

/// <summary>The exit code the silo process ends with once its host stops; set by whoever stops it for a reason the manager must know.</summary>
internal sealed class SiloExitStatus
{
    private int _exitCode = SiloExitCodes.Success;

    public int ExitCode
    {
        get => Volatile.Read(ref _exitCode);
        set => Volatile.Write(ref _exitCode, value);
    }
}
