using System.Diagnostics;
using System.Globalization;

namespace Orleans.Batch.BatchEmulator.Processes;

/// <summary>
/// Runs job attempts as containers of the job definition's image, the way the ECS agent does on a Batch
/// compute environment: host networking (Batch's default on EC2), the job's vCPUs and memory as hard limits,
/// the image's own user unless the definition names one, a read-only root file system when asked (with no
/// writable /tmp added: ECS adds none either), and the job's environment plus Batch's variables. Each
/// container carries a label naming this emulator instance, so a sweep finds any that were left behind.
/// </summary>
internal sealed class ContainerRuntime
{
    /// <summary>The label every container of this emulator carries; its value is the emulator instance id.</summary>
    public const string InstanceLabel = BatchEmulatorOptions.ContainerLabel;

    /// <summary>Variables that stand for the job role's credentials and the instance's region.</summary>
    private static readonly string[] RoleVariables =
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION"];

    private readonly string _engine;
    private readonly IReadOnlyList<string> _limits;

    public ContainerRuntime(string engine, string instanceId)
    {
        _engine = engine;
        InstanceId = instanceId;
        _limits = ContainerLimits.RunArguments();
    }

    /// <summary>This emulator's id in container labels and names.</summary>
    public string InstanceId { get; }

    /// <summary>The container name of one job attempt: unique per emulator, job and attempt.</summary>
    public string ContainerName(string jobId, int attempt) =>
        $"obe-{InstanceId}-{jobId.Replace(':', '_')}-{attempt.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The <c>run</c> command of one attempt. Values travel in the engine process's environment and are named
    /// with <c>--env NAME</c> only, so that credentials never appear on a command line (<c>ps</c> shows those).
    /// </summary>
    public JobLaunch BuildLaunch(
        string jobId,
        int attempt,
        ContainerSettings container,
        IReadOnlyDictionary<string, string> jobEnvironment,
        string workingDirectory)
    {
        var name = ContainerName(jobId, attempt);
        var arguments = new List<string>
        {
            "run", "--rm", "--name", name, "--label", $"{InstanceLabel}={InstanceId}",
            "--network", "host", "--pull", "never",
        };
        arguments.AddRange(_limits);
        if (container.Vcpus > 0)
        {
            arguments.Add("--cpus");
            arguments.Add(container.Vcpus.ToString(CultureInfo.InvariantCulture));
        }

        if (container.MemoryMiB > 0)
        {
            arguments.Add("--memory");
            arguments.Add(container.MemoryMiB.ToString(CultureInfo.InvariantCulture) + "m");
        }

        if (container.ReadonlyRootFilesystem)
        {
            arguments.Add("--read-only");
            arguments.Add("--read-only-tmpfs=false");
        }

        if (container.User is { Length: > 0 } user)
        {
            arguments.Add("--user");
            arguments.Add(user);
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in new[] { "PATH", "HOME", "TMPDIR", "XDG_RUNTIME_DIR", "CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                environment[variable] = value;
            }
        }

        foreach (var variable in RoleVariables)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && !jobEnvironment.ContainsKey(variable))
            {
                environment[variable] = value;
                arguments.Add("--env");
                arguments.Add(variable);
            }
        }

        foreach (var (variable, value) in jobEnvironment)
        {
            environment[variable] = value;
            arguments.Add("--env");
            arguments.Add(variable);
        }

        arguments.Add(container.Image);
        arguments.AddRange(container.Command);
        return new JobLaunch(jobId, _engine, arguments, environment, workingDirectory) { ContainerName = name };
    }

    /// <summary>Sends a signal to the container's main process (PID 1 inside it).</summary>
    public void Signal(string containerName, string signal) =>
        RunQuietly(["kill", "--signal", signal, containerName], TimeSpan.FromSeconds(10));

    /// <summary>Removes every container of this emulator, running or not: the last step of a shutdown.</summary>
    public void RemoveAll()
    {
        var listing = RunQuietly(["ps", "--all", "--quiet", "--filter", $"label={InstanceLabel}={InstanceId}"], TimeSpan.FromSeconds(20));
        var ids = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > 0)
        {
            RunQuietly(["rm", "--force", "--time", "0", .. ids], TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Fails with a message naming the flag when the engine cannot run at all.</summary>
    public void CheckAvailable()
    {
        try
        {
            RunQuietly(["version", "--format", "{{.Client.Version}}"], TimeSpan.FromSeconds(20), throwOnFailure: true);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ArgumentException(
                $"--containers needs a container engine, but '{_engine}' does not run ({ex.Message}); install podman (apt-get install podman) or pass --container-engine PATH.",
                ex);
        }
    }

    private string RunQuietly(IReadOnlyList<string> arguments, TimeSpan timeout, bool throwOnFailure = false)
    {
        var info = new ProcessStartInfo(_engine)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{_engine} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{_engine} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s");
        }

        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{_engine} {arguments[0]} exited with {process.ExitCode}: {error.Result.Trim()}");
        }

        return output.Result;
    }
}

/// <summary>What the container of one attempt runs, from the job's definition and overrides.</summary>
internal sealed record ContainerSettings(
    string Image,
    IReadOnlyList<string> Command,
    double Vcpus,
    long MemoryMiB,
    bool ReadonlyRootFilesystem,
    string? User);
