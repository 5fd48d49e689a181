using System.CommandLine;
using System.Globalization;
using System.Net;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.Cluster.Backends.Local;
using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Configuration;
using Orleans.Batch.Application.Manager;
using Orleans.Batch.Application.Workloads;

namespace Orleans.Batch.Application.CommandLine;

/// <summary>
/// The Launcher's command line: the manager (the root command) and the <c>silo</c> role. Every flag is
/// validated before anything starts; a bad value is one line naming the flag, and exit code 2.
/// </summary>
internal static class OrleansBatchCommandLine
{
    private static readonly string[] SiloLogLevels = ["none", "error", "warning", "info", "debug"];

    public static readonly Option<SiloCount> Silos = new("--silos", "-n")
    {
        Description = "How many silos to launch: N, or MIN:MAX to wait for MAX and accept MIN once --timeout passes.",
        HelpName = "N|MIN:MAX",
        DefaultValueFactory = _ => new SiloCount(4, 4),
        CustomParser = ParseSilos,
    };

    public static readonly Option<int?> MinSilos = new("--min-silos")
    {
        Description = "The fewest active silos to go on with when --timeout passes (default: all of --silos).",
        HelpName = "MIN",
    };

    public static readonly Option<int?> ReplaceLost = new("--replace-lost")
    {
        Description = "How many silos lost to their infrastructure (Spot reclamation, an instance failure, a killed process) to replace over the run; 0 turns it off (default: a tenth of --silos, at least 2).",
        HelpName = "N",
    };

    /// <summary>The cluster keeps the size it was launched with.</summary>
    public const string FixedScale = "fixed";

    /// <summary>The cluster scales between --silos MIN and MAX with its load.</summary>
    public const string AdaptiveScale = "adaptive";

    public static readonly Option<string> Scale = new("--scale")
    {
        Description = "fixed: the cluster keeps its size; adaptive: it starts with MIN of --silos MIN:MAX and grows to MAX while its silos are busy (CPU), shrinking back when they are idle (default: fixed).",
        HelpName = "fixed|adaptive",
        DefaultValueFactory = _ => FixedScale,
    };

    public static readonly Option<TimeSpan?> ScaleCooldown = new("--scale-cooldown")
    {
        Description = "With --scale adaptive: how long the cluster keeps its size after a change, and stays idle before it shrinks: 30s, 2m (default: 60s).",
        HelpName = "DURATION",
        CustomParser = r => ParseDuration(r, "--scale-cooldown"),
    };

    public static readonly Option<TimeSpan?> Timeout = new("--timeout")
    {
        Description = "How long to wait for the silos to become active: 90, 90s, 5m, 1h (default: 3m locally, 20m on AWS Batch).",
        HelpName = "DURATION",
        CustomParser = r => ParseDuration(r, "--timeout"),
    };

    /// <summary>The aws-batch path against the Batch emulator and DynamoDB Local on this machine.</summary>
    public const string RehearsalBackend = "rehearsal";

    public static readonly Option<string?> Backend = new("--backend")
    {
        Description = "Where silos run: local (child processes), aws-batch, or rehearsal (the aws-batch path against the Batch emulator and DynamoDB Local on this machine) (default: aws-batch when --queue is given or when running inside a Batch job, else local).",
        HelpName = "local|aws-batch|rehearsal",
    };

    public static readonly Option<string?> Containers = new("--containers")
    {
        Description = "With --backend rehearsal: run the jobs as containers of this image (podman), as Batch would, instead of processes of this program.",
        HelpName = "IMAGE",
    };

    public static readonly Option<string?> Queue = new("--queue")
    {
        Description = "AWS Batch job queue for the silo jobs (default: the manager's own queue when it runs as a Batch job).",
        HelpName = "NAME",
        Validators = { r => ValidateBatchName(r, "--queue", "a job queue name (1-128 letters, digits, hyphens, underscores) or ARN", allowRevision: false) },
    };

    public static readonly Option<string?> Definition = new("--definition")
    {
        Description = "AWS Batch job definition (name, name:revision or ARN) whose image runs this Launcher (default: the manager's own when it runs as a Batch job).",
        HelpName = "NAME",
        Validators = { r => ValidateBatchName(r, "--definition", "a job definition name (1-128 letters, digits, hyphens, underscores), name:revision or ARN", allowRevision: true) },
    };

    public static readonly Option<string?> JobName = new("--name")
    {
        Description = "Prefix of the silo jobs' names (default: the manager's own job name inside Batch, else orleans-batch).",
        HelpName = "PREFIX",
        Validators = { ValidateJobName },
    };

    public static readonly Option<string?> Region = new("--region")
    {
        Description = "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, then instance metadata).",
        HelpName = "REGION",
        Validators = { ValidateRegion },
    };

    public static readonly Option<double?> Vcpus = new("--vcpus")
    {
        Description = "vCPUs per silo job: a whole number up to 256, or 0.25 or 0.5 on Fargate (default: the job definition's).",
        HelpName = "N",
        CustomParser = ParseVcpus,
    };

    public static readonly Option<int?> Memory = new("--memory")
    {
        Description = "Memory per silo job in MiB, up to 4194304 (default: the job definition's).",
        HelpName = "MIB",
        CustomParser = r => ParseWholeNumber(r, "--memory", 1, 4_194_304),
    };

    public static readonly Option<int?> Gpus = new("--gpus")
    {
        Description = "GPUs per silo job, up to 64 (default: the job definition's).",
        HelpName = "N",
        CustomParser = r => ParseWholeNumber(r, "--gpus", 1, 64),
    };

    public static readonly Option<TimeSpan?> MaxRuntime = new("--max-runtime")
    {
        Description = "Hard cap on each silo job's run time, the Batch job timeout (default 4h; at least 60s).",
        HelpName = "DURATION",
        CustomParser = r => ParseDuration(r, "--max-runtime"),
        Validators = { ValidateMaxRuntime },
    };

    public static readonly Option<string?> BatchEndpoint = new("--batch-endpoint")
    {
        Description = "AWS Batch endpoint URL (the emulator, or a VPC endpoint).",
        HelpName = "URL",
        Validators = { r => ValidateUrl(r, "--batch-endpoint") },
    };

    public static readonly Option<string?> Table = new("--table")
    {
        Description = $"DynamoDB membership table (default {Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipOptions.DefaultTableName}); with the local backend it switches membership from a file to DynamoDB.",
        HelpName = "NAME",
        Validators = { ValidateTableName },
    };

    public static readonly Option<string?> DynamoDBEndpoint = new("--dynamodb-endpoint")
    {
        Description = "DynamoDB endpoint URL (e.g. DynamoDB Local); implies DynamoDB membership.",
        HelpName = "URL",
        Validators = { r => ValidateUrl(r, "--dynamodb-endpoint") },
    };

    // A string, not a bool: System.CommandLine leaves a token that is not a bool unconsumed ("unexpected argument"),
    // and the message must name this flag.
    public static readonly Option<string?> CreateTable = new("--create-table")
    {
        Description = "Create the DynamoDB membership table if it is missing: true or false (default: true for a loopback --dynamodb-endpoint, else false; production tables come from deploy/).",
        HelpName = "true|false",
        Arity = ArgumentArity.ZeroOrOne,
        Validators = { r => ValidateOptionalBool(r, "--create-table") },
    };

    public static readonly Option<string?> Tls = new("--tls")
    {
        Description = "Encrypt and authenticate every silo-to-silo and manager-to-silo connection with TLS and a fresh certificate for the cluster: true or false (default: true with AWS Batch and the rehearsal, where traffic leaves the machine; false locally).",
        HelpName = "true|false",
        Arity = ArgumentArity.ZeroOrOne,
        Validators = { r => ValidateOptionalBool(r, "--tls") },
    };

    public static readonly Option<string?> OtlpEndpoint = new("--otlp-endpoint")
    {
        Description = "Export the manager's and the silos' metrics and traces (Orleans.Batch's and Orleans') over OTLP to this URL; OTEL_EXPORTER_OTLP_PROTOCOL picks grpc or http/protobuf (default: OTEL_EXPORTER_OTLP_ENDPOINT when set, else no export).",
        HelpName = "URL",
        Validators = { r => ValidateUrl(r, "--otlp-endpoint") },
    };

    public static readonly Option<string?> Dashboard = new("--dashboard")
    {
        Description = $"Serve the Orleans Dashboard (silos, grains, call rates) from the manager while the cluster runs, on PORT (default {Application.Dashboard.DashboardSettings.DefaultPort}; 0: any free port) of 127.0.0.1 unless --dashboard-bind says otherwise; its URL is printed when the cluster is ready.",
        HelpName = "PORT",
        Arity = ArgumentArity.ZeroOrOne,
        Validators = { ValidateDashboardPort },
    };

    public static readonly Option<string?> DashboardBind = new("--dashboard-bind")
    {
        Description = "The address the dashboard listens on (default 127.0.0.1: this machine only; 0.0.0.0: every interface). The dashboard has no login: open it only to a network you trust.",
        HelpName = "ADDRESS",
        Validators = { ValidateDashboardBind },
    };

    public static readonly Option<string?> Metrics = new("--metrics")
    {
        Description = "Print Orleans.Batch's metrics (AWS requests, launch and tear-down times, silos lost, DynamoDB capacity) on standard error every 10 s and at the end: console (the silos print theirs in their logs); none: not on the console (default: OTEL_METRICS_EXPORTER when it is console, else none).",
        HelpName = "console|none",
    };

    public static readonly Option<string?> Report = new("--report")
    {
        Description = "Also write the run report printed at the end (silos, times, AWS requests and, on AWS Batch, the estimated cost) as JSON to this file.",
        HelpName = "FILE.json",
        Validators = { ValidateReportPath },
    };

    public static readonly Option<string?> TlsCertificate = new("--tls-certificate")
    {
        Description = "A PEM file holding the certificate and unencrypted private key that the cluster uses instead of a fresh one (turns --tls on).",
        HelpName = "FILE",
        Validators = { ValidateTlsCertificate },
    };

    public static readonly Option<TimeSpan?> TeardownTimeout = new("--teardown-timeout")
    {
        Description = "How long tear-down keeps trying to stop the silos (TerminateJob retried, then confirmed) before it gives up, marks the cluster for cleanup and exits 3 (default 10m; a second Ctrl+C cuts it short).",
        HelpName = "DURATION",
        CustomParser = r => ParseDuration(r, "--teardown-timeout"),
    };

    public static readonly Option<TimeSpan?> OrphanTimeout = new("--orphan-timeout")
    {
        Description = "How long silos wait for the manager to renew its lease before stopping themselves, so a killed manager leaves nothing running (default 60s).",
        HelpName = "DURATION",
        CustomParser = r => ParseDuration(r, "--orphan-timeout"),
        Validators = { ValidateOrphanTimeout },
    };

    public static readonly Option<string[]> WorkloadOptions = new("--workload-option", "-o")
    {
        Description = "An option of the workload, KEY=VALUE (repeatable), e.g. -o samples=1e9.",
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string> SiloLogs = new("--silo-logs")
    {
        Description = "Which silo output to show on this console: none, error, warning, info, debug (all of it is kept in per-silo log files).",
        HelpName = "LEVEL",
        DefaultValueFactory = _ => "error",
    };

    public static readonly Option<bool> Hold = new("--hold")
    {
        Description = "Keep the cluster up after the workload until Ctrl+C or SIGTERM (for a dashboard or a debugger).",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show the manager's own log (launch, client, tear-down details).",
    };

    public static readonly Option<string?> ClusterId = new("--cluster-id")
    {
        Description = $"The Orleans ClusterId: {ClusterIdGrammar.Description} (default: the manager's AWS_BATCH_JOB_ID, else a new unique id).",
        HelpName = "ID",
        Validators = { r => ValidateClusterId(r, "--cluster-id") },
    };

    static OrleansBatchCommandLine()
    {
        ReplaceLost.Validators.Add(result =>
        {
            // A value that is not a number has its own parse error already.
            if (TryGet<int?>(result) is < 0 or > ClusterLaunchOptions.MaxReplaceLost)
            {
                result.AddError($"--replace-lost must be between 0 and {ClusterLaunchOptions.MaxReplaceLost}, got {InputText.Quote(result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty)}");
            }
        });
        MinSilos.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError($"--min-silos must be at least 1, got {InputText.Quote(result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty)}");
            }
        });
        SiloLogs.AcceptOnlyFromAmong(SiloLogLevels);
        Metrics.AcceptOnlyFromAmong("console", "none");
        Scale.AcceptOnlyFromAmong(FixedScale, AdaptiveScale);
        Backend.AcceptOnlyFromAmong(BatchClusterOptions.LocalBackend, BatchClusterOptions.AwsBatchBackend, RehearsalBackend);
    }

    /// <summary>
    /// Builds the command tree for an application with <paramref name="workloads"/>; <paramref name="runManager"/> and
    /// <paramref name="runSilo"/> are the actions.
    /// </summary>
    public static RootCommand Build(
        WorkloadCatalog workloads,
        Func<ManagerSettings, CancellationToken, Task<int>> runManager,
        Func<string[], CancellationToken, Task<int>> runSilo)
    {
        var workload = new Option<string>("--workload", "-w")
        {
            Description = $"What to run on the cluster: {workloads.Describe()}.",
            HelpName = "NAME",
            DefaultValueFactory = _ => workloads.Default.Name,
        };
        workload.AcceptOnlyFromAmong([.. workloads.Names]);

        var root = new RootCommand(
            "Runs an Orleans computation on AWS Batch (or on local processes): launches the silos, waits for them, runs the workload as an Orleans client, and releases everything on exit.")
        {
            Silos, MinSilos, ReplaceLost, Scale, ScaleCooldown, Timeout, Backend, Containers, Queue, Definition, JobName, Region, Vcpus, Memory, Gpus, MaxRuntime, BatchEndpoint,
            Table, DynamoDBEndpoint, CreateTable, Tls, TlsCertificate, Dashboard, DashboardBind, OtlpEndpoint, Metrics, Report, OrphanTimeout, TeardownTimeout, workload, WorkloadOptions, SiloLogs, Hold, Verbose, ClusterId,
        };
        root.Validators.Add(result => ValidateManager(result, workload, workloads));
        root.SetAction((parse, cancellationToken) => runManager(ToSettings(parse, workload), cancellationToken));

        var silo = new Command("silo", "Run as one silo of a cluster; configured by OrleansBatch__* environment variables (set by the manager or a Batch job definition).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        silo.SetAction((parse, cancellationToken) => runSilo([.. parse.UnmatchedTokens], cancellationToken));
        root.Add(silo);
        root.Add(Commands.ListCommand.Create());
        root.Add(Commands.CleanupCommand.Create());
        root.Add(Commands.LogsCommand.Create());
        root.Add(Commands.PreflightCommand.Create());
        return root;
    }

    /// <summary>The first parse error as one line that names the flag.</summary>
    public static string DescribeError(ParseResult parse)
    {
        var error = parse.Errors[0].Message;
        if (parse.UnmatchedTokens.Count > 0 && error.Contains(parse.UnmatchedTokens[0], StringComparison.Ordinal))
        {
            var token = parse.UnmatchedTokens[0];
            return token.StartsWith('-') ? $"unknown option {InputText.Quote(token)} (see --help)" : $"unexpected argument {InputText.Quote(token)} (see --help)";
        }

        // Built-in messages quote the value as given: keep the line one line, and short.
        error = System.Text.RegularExpressions.Regex.Replace(error, @"\s+", " ");
        error = System.Text.RegularExpressions.Regex.Replace(error, "'([^']{" + InputText.MaxShown + "})[^']+'", "'$1…'");

        // Built-in messages ("Argument 'x' not recognized. Must be one of: ...") do not say which flag.
        var option = parse.Errors[0].SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        return option is not null && !error.Contains(option.Name, StringComparison.Ordinal) ? $"{option.Name}: {error}" : error;
    }

    private static ManagerSettings ToSettings(ParseResult parse, Option<string> workload)
    {
        var silos = parse.GetValue(Silos);
        var min = parse.GetValue(MinSilos) ?? silos.Min;
        var adaptive = parse.GetValue(Scale) == AdaptiveScale;
        var queue = parse.GetValue(Queue);
        var rehearsal = parse.GetValue(Backend) == RehearsalBackend;
        var backend = rehearsal ? BatchClusterOptions.AwsBatchBackend : BatchClusterOptions.ChooseBackend(parse.GetValue(Backend), queue);
        var settings = new ManagerSettings
        {
            Cluster = new BatchClusterOptions
            {
                Backend = backend,
                // Adaptive clusters start small and grow with their load; fixed ones wait for MAX and accept MIN.
                Silos = adaptive ? silos.Min : silos.Max,
                MinSilos = min,
                ReplaceLost = parse.GetValue(ReplaceLost),
                LaunchTimeout = parse.GetValue(Timeout),
                ClusterId = parse.GetValue(ClusterId),
                OrphanTimeout = parse.GetValue(OrphanTimeout) ?? Orleans.Batch.Hosting.Membership.Lease.ManagerLeaseOptions.DefaultOrphanTimeout,
                TeardownTimeout = parse.GetValue(TeardownTimeout) ?? ClusterLaunchOptions.DefaultTeardownTimeout,
                Queue = queue,
                JobDefinition = parse.GetValue(Definition),
                JobNamePrefix = parse.GetValue(JobName),
                Region = parse.GetValue(Region),
                Vcpus = parse.GetValue(Vcpus),
                MemoryMiB = parse.GetValue(Memory),
                Gpus = parse.GetValue(Gpus),
                MaxRuntime = parse.GetValue(MaxRuntime),
                BatchEndpoint = parse.GetValue(BatchEndpoint) is { } batchEndpoint ? new Uri(batchEndpoint) : null,
                MembershipTable = parse.GetValue(Table),
                DynamoDBEndpoint = parse.GetValue(DynamoDBEndpoint) is { } dynamoEndpoint ? new Uri(dynamoEndpoint) : null,
                CreateTable = ToOptionalBool(parse, CreateTable),
                Tls = ToOptionalBool(parse, Tls),
                TlsCertificate = parse.GetValue(TlsCertificate),
                Dashboard = parse.GetResult(Dashboard) is not null,
                SiloOutputLevel = ToLogLevel(parse.GetValue(SiloLogs)!),
            },
            Workload = parse.GetValue(workload)!,
            WorkloadOptions = ParseWorkloadOptions(parse.GetValue(WorkloadOptions) ?? []),
            Hold = parse.GetValue(Hold),
            Verbose = parse.GetValue(Verbose),
            OtlpEndpoint = parse.GetValue(OtlpEndpoint) is { } otlp ? new Uri(otlp) : null,
            Dashboard = ToDashboardSettings(parse),
            ReportPath = parse.GetValue(Report),
            MetricsToConsole = parse.GetValue(Metrics) is { } metrics ? metrics == "console" : null,
            Adaptive = adaptive
                ? new Orleans.Batch.Hosting.Cluster.Elasticity.AdaptiveScalingOptions
                {
                    Minimum = silos.Min,
                    Maximum = silos.Max,
                    Cooldown = parse.GetValue(ScaleCooldown) ?? TimeSpan.FromSeconds(60),
                    ScaleDownAfter = parse.GetValue(ScaleCooldown) ?? TimeSpan.FromSeconds(60),
                }
                : null,
            Rehearsal = rehearsal ? new RehearsalSettings(parse.GetValue(Containers)) : null,
        };
        if (rehearsal)
        {
            // The rehearsal's own queue, definition and region; its endpoints are known once it has started.
            settings.Cluster.Queue = Rehearsal.RehearsalEnvironment.QueueName;
            settings.Cluster.JobDefinition = Rehearsal.RehearsalEnvironment.DefinitionName;
            settings.Cluster.Region = Rehearsal.RehearsalEnvironment.Region;
            settings.Cluster.CreateTable ??= true;
        }

        return settings;
    }

    private static void ValidateManager(CommandResult result, Option<string> workload, WorkloadCatalog workloads)
    {
        ValidateWorkloadOptions(result, workload, workloads);
        ValidateAwsBatch(result);
        ValidateOwnJobId(result);
        if (result.GetResult(TlsCertificate) is not null && result.GetResult(Tls) is { Tokens: [{ } tls] } && bool.TryParse(tls.Value, out var on) && !on)
        {
            result.AddError("--tls-certificate turns TLS on, but --tls is false; drop one of them");
        }

        if (result.GetResult(DashboardBind) is not null && result.GetResult(Dashboard) is null)
        {
            result.AddError("--dashboard-bind needs --dashboard");
        }

        ValidateLocalLimit(result);
        if (result.GetResult(Silos) is null && result.GetResult(MinSilos) is null)
        {
            return;
        }

        SiloCount silos;
        int? minSilos;
        try
        {
            silos = result.GetValue(Silos);
            minSilos = result.GetValue(MinSilos);
        }
        catch (InvalidOperationException)
        {
            // A value did not parse; its own error is already reported.
            return;
        }

        if (TryGet(result, Scale) == AdaptiveScale && silos.Min == silos.Max)
        {
            result.AddError($"--scale adaptive needs --silos MIN:MAX with MIN below MAX, got --silos {silos.Max}");
        }

        if (TryGet(result, Scale) != AdaptiveScale && result.GetResult(ScaleCooldown) is not null)
        {
            result.AddError("--scale-cooldown applies only with --scale adaptive");
        }

        if (minSilos is { } min && min > silos.Max)
        {
            result.AddError($"--min-silos ({min}) must not exceed --silos ({silos.Max})");
        }

        if (result.GetResult(MinSilos) is not null && silos.Min != silos.Max)
        {
            result.AddError("--min-silos cannot be combined with --silos MIN:MAX; use one of them");
        }
    }

    private static void ValidateAwsBatch(CommandResult result)
    {
        if (TryGet(result, Backend) == RehearsalBackend)
        {
            foreach (var option in new Option[] { Queue, Definition, Region, BatchEndpoint, DynamoDBEndpoint })
            {
                if (result.GetResult(option) is not null)
                {
                    result.AddError($"{option.Name} cannot be combined with --backend rehearsal, which makes its own");
                    return;
                }
            }

            return;
        }

        if (result.GetResult(Containers) is not null)
        {
            result.AddError("--containers applies to --backend rehearsal only");
            return;
        }

        var insideBatch = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BatchJobEnvironment.JobIdVariable));
        var queue = TryGet(result, Queue);
        var backend = BatchClusterOptions.ChooseBackend(TryGet(result, Backend), queue);
        if (backend != BatchClusterOptions.AwsBatchBackend)
        {
            foreach (var option in new Option[] { Definition, JobName, Vcpus, Memory, Gpus, MaxRuntime, BatchEndpoint })
            {
                if (result.GetResult(option) is not null)
                {
                    result.AddError($"{option.Name} applies to --backend aws-batch only");
                    return;
                }
            }

            return;
        }

        // Outside Batch there is no own job to take them from: say so before anything is submitted.
        if (!insideBatch && queue is null)
        {
            result.AddError("--queue is required with --backend aws-batch (outside an AWS Batch job it cannot be inferred)");
        }
        else if (!insideBatch && TryGet(result, Definition) is null)
        {
            result.AddError("--definition is required with --backend aws-batch (outside an AWS Batch job it cannot be inferred)");
        }
    }

    private static void ValidateOwnJobId(CommandResult result)
    {
        // The manager's own job id becomes the cluster id unless --cluster-id says otherwise: check it where it enters.
        var ownJobId = Environment.GetEnvironmentVariable(BatchJobEnvironment.JobIdVariable);
        if (result.GetResult(ClusterId) is null && !string.IsNullOrEmpty(ownJobId) && ClusterIdGrammar.Validate(ownJobId, BatchJobEnvironment.JobIdVariable) is { } error)
        {
            result.AddError($"{error}; pass --cluster-id to choose the cluster id");
        }
    }

    private static void ValidateLocalLimit(CommandResult result)
    {
        // A rehearsal runs its silos on this machine too, as processes or containers.
        var backend = TryGet(result, Backend);
        if ((backend != RehearsalBackend && BatchClusterOptions.ChooseBackend(backend, TryGet(result, Queue)) != BatchClusterOptions.LocalBackend) || result.GetResult(Silos) is null)
        {
            return;
        }

        var limit = LocalSiloLimit.ForThisMachine;
        if (TryGet(result, Silos) is { Max: var max } && max > limit)
        {
            result.AddError($"--silos {max} is more than the local backend runs on this machine: at most {limit} ({LocalSiloLimit.Explain()}); use --backend aws-batch for more");
        }
    }

    internal static void ValidateClusterId(OptionResult result, string flag)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (ClusterIdGrammar.Validate(text, flag) is { } error)
        {
            result.AddError(error);
        }
    }

    private static void ValidateOptionalBool(OptionResult result, string flag)
    {
        if (result.Tokens.Count > 0 && !bool.TryParse(result.Tokens[0].Value, out _))
        {
            result.AddError($"{flag} must be true or false, got {InputText.Quote(result.Tokens[0].Value)}");
        }
    }

    // A flag alone means true; absent means "the default", which depends on other flags.
    private static bool? ToOptionalBool(ParseResult parse, Option<string?> option) =>
        parse.GetResult(option) is not { } result ? null
        : result.Tokens.Count == 0 ? true
        : bool.Parse(result.Tokens[0].Value);

    private static void ValidateDashboardPort(OptionResult result)
    {
        if (result.Tokens.Count > 0 && !(int.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort))
        {
            result.AddError($"--dashboard takes a port number from 0 to {IPEndPoint.MaxPort}, got {InputText.Quote(result.Tokens[0].Value)}");
        }
    }

    private static void ValidateDashboardBind(OptionResult result)
    {
        if (result.Tokens.Count > 0 && !IPAddress.TryParse(result.Tokens[0].Value, out _))
        {
            result.AddError($"--dashboard-bind takes an IP address (127.0.0.1, 0.0.0.0, ...), got {InputText.Quote(result.Tokens[0].Value)}");
        }
    }

    private static void ValidateReportPath(OptionResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return;
        }

        var path = result.Tokens[0].Value;
        string? problem;
        try
        {
            var full = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(full);
            problem = path.Length == 0 || path.Contains('\n', StringComparison.Ordinal) || path.EndsWith('/') ? "takes a file path"
                : Path.GetFileName(full).Length > 255 ? "names a file whose name is longer than 255 characters"
                : Directory.Exists(full) ? "names a directory; give a file path"
                : directory is null || !Directory.Exists(directory) ? $"names a file in {InputText.Quote(directory ?? path)}, which does not exist"
                : null;
        }
        catch (Exception exception) when (exception is ArgumentException or PathTooLongException or NotSupportedException)
        {
            problem = "takes a file path";
        }

        if (problem is not null)
        {
            result.AddError($"--report {problem}, got {InputText.Quote(path)}");
        }
    }

    private static Application.Dashboard.DashboardSettings? ToDashboardSettings(ParseResult parse)
    {
        if (parse.GetResult(Dashboard) is not { } dashboard)
        {
            return null;
        }

        var port = dashboard.Tokens.Count > 0 ? int.Parse(dashboard.Tokens[0].Value, CultureInfo.InvariantCulture) : Application.Dashboard.DashboardSettings.DefaultPort;
        var address = parse.GetValue(DashboardBind) is { } bind ? IPAddress.Parse(bind) : Application.Dashboard.DashboardSettings.DefaultAddress;
        return new Application.Dashboard.DashboardSettings(address, port);
    }

    private static void ValidateTlsCertificate(OptionResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return;
        }

        var path = result.Tokens[0].Value;
        if (Orleans.Batch.Hosting.Security.Internal.ClusterCertificate.IsPem(path))
        {
            result.AddError("--tls-certificate takes the path of a PEM file (PEM text goes in OrleansBatch:Cluster:TlsCertificate)");
        }
        else if (Orleans.Batch.Hosting.Security.Internal.ClusterCertificateCheck.Explain(path) is { } problem)
        {
            result.AddError($"--tls-certificate {problem}");
        }
    }

    internal static T? TryGet<T>(CommandResult result, Option<T> option)
    {
        try
        {
            return result.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    private static void ValidateWorkloadOptions(CommandResult result, Option<string> workload, WorkloadCatalog workloads)
    {
        string workloadName;
        string[] pairs;
        try
        {
            workloadName = result.GetValue(workload) ?? workloads.Default.Name;
            pairs = result.GetValue(WorkloadOptions) ?? [];
        }
        catch (InvalidOperationException)
        {
            return;
        }

        foreach (var pair in pairs)
        {
            if (!pair.Contains('=', StringComparison.Ordinal) || pair.StartsWith('='))
            {
                result.AddError($"--workload-option must be KEY=VALUE, got {InputText.Quote(pair)}");
                return;
            }
        }

        try
        {
            workloads.Get(workloadName).Validate(ParseWorkloadOptions(pairs));
        }
        catch (WorkloadOptionException exception)
        {
            result.AddError(exception.Message);
        }
        catch (ArgumentException)
        {
            // An unknown workload is reported by --workload itself.
        }
    }

    private static Dictionary<string, string> ParseWorkloadOptions(string[] pairs)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0)
            {
                options[pair[..separator].Trim()] = pair[(separator + 1)..].Trim();
            }
        }

        return options;
    }

    private static SiloCount ParseSilos(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (!SiloCount.TryParse(text, out var value, out var error))
        {
            result.AddError(error);
        }

        return value;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result, string flag)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!DurationParser.TryParse(text, out var duration))
        {
            result.AddError($"{flag} must be a positive duration such as 90, 90s, 5m or 1h, at most {DurationParser.MaximumText}, got {InputText.Quote(text)}");
            return null;
        }

        return duration;
    }

    private static void ValidateMaxRuntime(OptionResult result)
    {
        if (TryGet<TimeSpan?>(result) is { } runtime && runtime < TimeSpan.FromSeconds(60))
        {
            result.AddError($"--max-runtime must be at least 60s (the AWS Batch minimum job timeout), got {InputText.Quote(result.Tokens[0].Value)}");
        }
    }

    private static void ValidateOrphanTimeout(OptionResult result)
    {
        if (TryGet<TimeSpan?>(result) is { } timeout && timeout < TimeSpan.FromSeconds(5))
        {
            result.AddError($"--orphan-timeout must be at least 5s, got {InputText.Quote(result.Tokens[0].Value)}");
        }
    }

    internal static void ValidateRegion(OptionResult result)
    {
        if (TryGet<string?>(result) is { } region && !Orleans.Batch.Hosting.AwsBatch.AwsBatchEndpoint.IsValidRegionName(region))
        {
            result.AddError($"--region must be an AWS region name such as us-east-1, got {InputText.Quote(region)}");
        }
    }

    internal static void ValidateUrl(OptionResult result, string flag)
    {
        if (TryGet<string?>(result) is { } text
            && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            result.AddError($"{flag} must be an http:// or https:// URL, got {InputText.Quote(text)}");
        }
    }

    private static void ValidateJobName(OptionResult result)
    {
        if (TryGet<string?>(result) is { } name
            && (name.Length is 0 or > 64 || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            result.AddError($"--name must be 1-64 letters, digits, hyphens or underscores starting with a letter or digit, got {InputText.Quote(name)}");
        }
    }

    internal static void ValidateTableName(OptionResult result)
    {
        if (TryGet<string?>(result) is { } name
            && (name.Length is < 3 or > 255 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            result.AddError($"--table must be a DynamoDB table name (3-255 letters, digits, '_', '-', '.'), got {InputText.Quote(name)}");
        }
    }

    private static double? ParseVcpus(ArgumentResult result)
    {
        // EC2 jobs take whole vCPUs; Fargate also 0.25 and 0.5 (its larger sizes are whole numbers too).
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (double.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && (value is 0.25 or 0.5 || (value >= 1 && value <= 256 && Math.Floor(value) == value)))
        {
            return value;
        }

        result.AddError($"--vcpus must be a whole number from 1 to 256, or 0.25 or 0.5 (Fargate), got {InputText.Quote(text)}");
        return null;
    }

    private static int? ParseWholeNumber(ArgumentResult result, string flag, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{flag} must be a whole number from {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}, got {InputText.Quote(text)}");
        return null;
    }

    internal static void ValidateBatchName(OptionResult result, string flag, string expected, bool allowRevision)
    {
        if (result.Tokens.Count == 0)
        {
            return;
        }

        var text = result.Tokens[0].Value;
        var name = text;
        if (allowRevision && text.LastIndexOf(':') is var colon and > 0 && !text.StartsWith("arn:", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision) && revision > 0)
        {
            name = text[..colon];
        }

        var isArn = name.StartsWith("arn:", StringComparison.Ordinal) && name.Length <= 1600 && name.All(c => c > ' ' && c < 127);
        var isName = name.Length is >= 1 and <= 128 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (!isArn && !isName)
        {
            result.AddError($"{flag} must be {expected}, got {InputText.Quote(text)}");
        }
    }

    private static T? TryGet<T>(OptionResult result)
    {
        try
        {
            return result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    private static LogLevel ToLogLevel(string level) => level switch
    {
        "none" => LogLevel.None,
        "error" => LogLevel.Error,
        "info" => LogLevel.Information,
        "debug" => LogLevel.Debug,
        _ => LogLevel.Warning,
    };
}
