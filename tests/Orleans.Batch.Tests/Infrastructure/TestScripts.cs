namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// A POSIX shell script that stands for a job's container in emulator tests, in a temp directory of its own.
/// The job's command picks what it does (first argument), and it records the id of every process it starts, so
/// tests can check that none outlives the emulator independently of the emulator's own bookkeeping.
/// </summary>
/// <remarks>
/// Modes: <c>exit CODE</c>; <c>env [ARGS...]</c> writes its environment and arguments to the output directory
/// (file names from AWS_BATCH_JOB_ID) and exits 0; <c>print LINE...</c> prints each line to stdout and then
/// <c>stderr-line</c> to stderr; <c>sleep SECONDS</c> sleeps, and on SIGTERM prints "got SIGTERM" and exits 0;
/// <c>ignore-term</c> ignores SIGTERM and sleeps (only SIGKILL ends it); <c>fail-index I</c> exits 3 in the array
/// child with index I, else 0; <c>fail-before-attempt N</c> exits 5 until AWS_BATCH_JOB_ATTEMPT reaches N.
/// </remarks>
public sealed class TestScripts : IDisposable
{
    public TestScripts()
    {
        ProcessTable.RequireProcFileSystem();
        Directory = System.IO.Directory.CreateTempSubdirectory("emulator-test-").FullName;
        OutputDirectory = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "out")).FullName;
        PidFile = Path.Combine(Directory, "pids");
        JobScript = Path.Combine(Directory, "job.sh");
        File.WriteAllText(JobScript, $$"""
            #!/bin/sh
            pids='{{PidFile}}'
            out='{{OutputDirectory}}'
            echo $$ >> "$pids"
            mode="$1"
            [ $# -gt 0 ] && shift
            case "$mode" in
              exit)
                echo "exiting with $1"
                exit "$1" ;;
              env)
                env > "$out/$AWS_BATCH_JOB_ID.env"
                printf '%s\n' "$@" > "$out/$AWS_BATCH_JOB_ID.args"
                exit 0 ;;
              print)
                for line in "$@"; do echo "$line"; done
                echo "stderr-line" >&2
                exit 0 ;;
              sleep)
                trap 'echo "got SIGTERM"; kill $child 2>/dev/null; exit 0' TERM
                sleep "$1" &
                child=$!
                echo $child >> "$pids"
                echo "sleeping $1"
                wait $child
                exit 0 ;;
              ignore-term)
                trap '' TERM
                sleep 300 &
                child=$!
                echo $child >> "$pids"
                echo "ignoring SIGTERM"
                wait $child
                exit 0 ;;
              fail-index)
                [ "$AWS_BATCH_JOB_ARRAY_INDEX" = "$1" ] && exit 3
                exit 0 ;;
              fail-before-attempt)
                [ "$AWS_BATCH_JOB_ATTEMPT" -lt "$1" ] && exit 5
                exit 0 ;;
            esac
            echo "unknown mode '$mode'" >&2
            exit 64

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("emulator job scripts are POSIX shell scripts");
        }

        File.SetUnixFileMode(JobScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Directory { get; }

    public string OutputDirectory { get; }

    public string PidFile { get; }

    /// <summary>The script to use as the emulator's launcher.</summary>
    public string JobScript { get; }

    /// <summary>Every process id the script recorded (itself and the children it started).</summary>
    public IReadOnlyList<int> RecordedProcessIds() =>
        File.Exists(PidFile)
            ? File.ReadAllLines(PidFile).Where(l => l.Length > 0).Select(int.Parse).ToList()
            : [];

    /// <summary>The environment the job with <paramref name="jobId"/> saw (mode <c>env</c>).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string jobId) =>
        File.ReadAllLines(Path.Combine(OutputDirectory, jobId + ".env"))
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    /// <summary>The arguments the job with <paramref name="jobId"/> got after the mode (mode <c>env</c>).</summary>
    public IReadOnlyList<string> ArgumentsOf(string jobId) =>
        File.ReadAllLines(Path.Combine(OutputDirectory, jobId + ".args")).ToList();

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
