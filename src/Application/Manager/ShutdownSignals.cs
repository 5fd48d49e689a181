using System.Runtime.InteropServices;
using Orleans.Batch.Application.CommandLine;

namespace Orleans.Batch.Application.Manager;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM into a graceful stop, so tear-down always runs: the first signal cancels
/// <see cref="Stopping"/>; a second one cancels <see cref="Forcing"/> to cut the graceful phase short.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _forcing = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Action<string> _notify;
    private int _exitCode;

    public ShutdownSignals(Action<string> notify)
    {
        _notify = notify;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, ExitCodes.Interrupted, "Ctrl+C")),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, ExitCodes.Terminated, "SIGTERM")),
        ];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled by the second signal.</summary>
    public CancellationToken Forcing => _forcing.Token;

    /// <summary>The exit code the first signal calls for (130 for SIGINT, 143 for SIGTERM), or null.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is var code and not 0 ? code : null;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
        _forcing.Dispose();
    }

    private void OnSignal(PosixSignalContext context, int exitCode, string name)
    {
        // Keep the process alive: tear-down decides when it ends.
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) == 0)
        {
            _notify($"{name} received: stopping the cluster (press Ctrl+C again to skip the graceful stop)");
            _stopping.Cancel();
        }
        else
        {
            _notify($"{name} received again: forcing the silos to stop");
            _forcing.Cancel();
        }
    }
}
