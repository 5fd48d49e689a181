using System.CommandLine;
using System.CommandLine.Parsing;

namespace Orleans.Batch.BatchEmulator.CommandLine;

/// <summary>The emulator's command line, mapped onto <see cref="BatchEmulatorOptions"/>.</summary>
internal static class EmulatorCommandLine
{
    public static RootCommand Create(Func<BatchEmulatorOptions, bool, CancellationToken, Task<int>> run)
    {
        var defaults = new BatchEmulatorOptions();
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => defaults.Port };
        var launcher = new Option<string?>("--launcher") { Description = "The executable every job runs (a .dll runs with dotnet); the job's command is its arguments." };
        var imageLaunchers = new Option<string[]>("--image-launcher")
        {
            Description = "IMAGE=PATH: the executable for jobs whose definition has this image (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var containers = new Option<bool>("--containers") { Description = "Run each job definition's image as a container (podman), with the job's command, environment and limits." };
        var containerEngine = new Option<string>("--container-engine") { Description = "The container engine for --containers (a podman-compatible CLI).", DefaultValueFactory = _ => defaults.ContainerEngine };
        var simulated = new Option<bool>("--simulated") { Description = "Run no processes: jobs move through their states on timers only." };
        var simulatedRunDuration = DurationOption("--simulated-run-duration", "How long a simulated job runs before it succeeds (default: until terminated).", null);
        var transitionDelay = DurationOption("--transition-delay", "Time spent in each of SUBMITTED, PENDING, RUNNABLE and STARTING, e.g. 200ms.", defaults.TransitionDelay);
        var gracePeriod = DurationOption("--termination-grace-period", "Time between SIGTERM and SIGKILL when a job is terminated.", defaults.TerminationGracePeriod);
        var stateTimeLimitScale = new Option<double>("--state-time-limit-scale") { Description = "Multiplies job queues' jobStateTimeLimitActions times (0.01: 600 s becomes 6 s).", DefaultValueFactory = _ => defaults.StateTimeLimitScale };
        var minimumTimeout = new Option<int>("--min-timeout-seconds") { Description = "Smallest timeout.attemptDurationSeconds accepted.", DefaultValueFactory = _ => defaults.MinimumTimeoutSeconds };
        var region = new Option<string>("--region") { Description = "Region requests must be signed for.", DefaultValueFactory = _ => defaults.Region };
        var accountId = new Option<string>("--account-id") { Description = "Account id in ARNs.", DefaultValueFactory = _ => defaults.AccountId };
        var queues = new Option<string[]>("--queue") { Description = "A job queue to create at start (compute environment <name>-ce); repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var definitions = new Option<string[]>("--job-definition") { Description = "NAME or NAME=IMAGE: a job definition to register at start; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var expiredKeys = new Option<string[]>("--expired-access-key") { Description = "An access key id answered with ExpiredTokenException; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var invalidKeys = new Option<string[]>("--invalid-access-key") { Description = "An access key id answered with UnrecognizedClientException; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var maxLogEvents = new Option<int>("--max-log-events") { Description = "Log events kept per log stream.", DefaultValueFactory = _ => defaults.MaxLogEventsPerStream };
        var workDirectory = new Option<string?>("--work-dir") { Description = "Where job working directories go (default: a temp directory, deleted at exit)." };
        var dynamoDBLocal = new Option<string?>("--dynamodb-local") { Description = "A folder with DynamoDB Local (DynamoDBLocal.jar) to run beside the emulator, in memory, on a free port." };
        var exitWith = new Option<int?>("--exit-with") { Description = "Stop, with every job, when the process with this id has exited." };
        var verbose = new Option<bool>("--verbose") { Description = "Log every state change and every line the jobs print." };

        var root = new RootCommand("An AWS Batch emulator (Batch REST-JSON API and CloudWatch Logs GetLogEvents) for tests and local rehearsal.")
        {
            port, launcher, imageLaunchers, containers, containerEngine, simulated, simulatedRunDuration, transitionDelay, gracePeriod, stateTimeLimitScale, minimumTimeout, region, accountId,
            queues, definitions, expiredKeys, invalidKeys, maxLogEvents, workDirectory, dynamoDBLocal, exitWith, verbose,
        };

        root.SetAction((result, cancellationToken) =>
        {
            var options = new BatchEmulatorOptions
            {
                Port = result.GetValue(port),
                LauncherPath = result.GetValue(launcher) is { } path ? Path.GetFullPath(path) : null,
                Containers = result.GetValue(containers),
                ContainerEngine = result.GetValue(containerEngine) ?? defaults.ContainerEngine,
                Simulated = result.GetValue(simulated),
                SimulatedRunDuration = result.GetValue(simulatedRunDuration),
                TransitionDelay = result.GetValue(transitionDelay) ?? defaults.TransitionDelay,
                TerminationGracePeriod = result.GetValue(gracePeriod) ?? defaults.TerminationGracePeriod,
                MinimumTimeoutSeconds = result.GetValue(minimumTimeout),
                StateTimeLimitScale = result.GetValue(stateTimeLimitScale),
                Region = result.GetValue(region) ?? defaults.Region,
                AccountId = result.GetValue(accountId) ?? defaults.AccountId,
                MaxLogEventsPerStream = result.GetValue(maxLogEvents),
                WorkDirectory = result.GetValue(workDirectory),
                DynamoDBLocalDirectory = result.GetValue(dynamoDBLocal),
                ExitWithProcessId = result.GetValue(exitWith),
            };

            foreach (var mapping in result.GetValue(imageLaunchers) ?? [])
            {
                var equals = mapping.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new ArgumentException($"--image-launcher '{mapping}' must be IMAGE=PATH.");
                }

                options.ImageLaunchers[mapping[..equals]] = Path.GetFullPath(mapping[(equals + 1)..]);
            }

            AddAll(options.Queues, result.GetValue(queues));
            AddAll(options.JobDefinitions, result.GetValue(definitions));
            AddAll(options.ExpiredAccessKeys, result.GetValue(expiredKeys));
            AddAll(options.InvalidAccessKeys, result.GetValue(invalidKeys));
            return run(options, result.GetValue(verbose), cancellationToken);
        });

        return root;
    }

    private static Option<TimeSpan?> DurationOption(string name, string description, TimeSpan? defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = argument =>
        {
            var text = argument.Tokens.Count > 0 ? argument.Tokens[0].Value : null;
            if (Orleans.Batch.Application.CommandLine.DurationParser.TryParse(text, out var duration, allowZero: true))
            {
                return duration;
            }

            argument.AddError($"{name} '{text}' is not a duration such as 200ms, 2s, 1m or 00:00:02.");
            return null;
        },
    };

    private static void AddAll(ICollection<string> target, string[]? values)
    {
        foreach (var value in values ?? [])
        {
            target.Add(value);
        }
    }
}
