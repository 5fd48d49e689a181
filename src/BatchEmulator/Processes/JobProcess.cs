using System.Diagnostics;

namespace Orleans.Batch.BatchEmulator.Processes;

/// <summary>
/// The local process standing for one job attempt's container. Started through <c>setsid</c> (where present) so
/// it leads its own process group: SIGTERM goes to the main process only (like <c>docker stop</c>), while a kill
/// and the end of the main process take the whole group down (like the end of a container). In container mode
/// the process is the engine's attached <c>run</c>, and signals go to the container's PID 1 through the engine.
/// </summary>
internal sealed class JobProcess : IDisposable
{
    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    private readonly Process _process;
    private readonly TaskCompletionSource _exited;
    private readonly ContainerRuntime? _containers;
    private readonly string? _containerName;

    private JobProcess(Process process, TaskCompletionSource exited, bool ownsGroup, ContainerRuntime? containers, string? containerName)
    {
        _process = process;
        _exited = exited;
        _containers = containers;
        _containerName = containerName;
        Id = process.Id;
        ProcessGroupId = ownsGroup ? process.Id : null;
    }

    public int Id { get; }

    /// <summary>The process group the job's processes run in, when it has its own.</summary>
    public int? ProcessGroupId { get; }

    /// <summary>Completes when the main process has exited.</summary>
    public Task Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code; 128 + signal number when a signal ended it (as Docker reports).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the process; <paramref name="onOutputLine"/> receives stdout and stderr lines as they come.</summary>
    public static JobProcess Start(JobLaunch launch, ContainerRuntime? containers, Action<string> onOutputLine)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = launch.WorkingDirectory,
        };

        if (SetsidPath is not null)
        {
            info.FileName = SetsidPath;
            info.ArgumentList.Add(launch.Executable);
        }
        else
        {
            info.FileName = launch.Executable;
        }

        foreach (var argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in launch.Environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onOutputLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onOutputLine(e.Data);
            }
        };

        process.Start();

        // A container has no stdin unless asked for one.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new JobProcess(process, exited, ownsGroup: SetsidPath is not null, containers, launch.ContainerName);
    }

    /// <summary>Asks the main process to stop (SIGTERM), as ECS does first when it stops a task.</summary>
    public void RequestStop()
    {
        if (HasExited)
        {
            return;
        }

        if (_containers is not null && _containerName is not null)
        {
            _containers.Signal(_containerName, "TERM");
        }
        else
        {
            PosixSignals.Send(Id, PosixSignals.SigTerm);
        }
    }

    /// <summary>Kills the main process and everything it started.</summary>
    public void Kill()
    {
        if (_containers is not null && _containerName is not null && !HasExited)
        {
            // Killing the attached engine process would leave the container running: kill the container first.
            _containers.Signal(_containerName, "KILL");
        }

        KillGroup();
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // exiting concurrently
        }
    }

    /// <summary>Kills whatever is left of the process group (the container's other processes).</summary>
    public void KillGroup()
    {
        if (ProcessGroupId is { } group)
        {
            PosixSignals.SendToGroup(group, PosixSignals.SigKill);
        }
    }

    /// <summary>Waits until stdout and stderr are read to the end, at most <paramref name="timeout"/>.</summary>
    public async Task DrainOutputAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // a stray process still holds the pipe; the output so far is what we keep
        }
    }

    public void Dispose() => _process.Dispose();
}
