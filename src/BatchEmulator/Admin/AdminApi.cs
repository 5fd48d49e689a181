using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Orleans.Batch.BatchEmulator.Api;
using Orleans.Batch.BatchEmulator.Api.Model;
using Orleans.Batch.BatchEmulator.Faults;
using Orleans.Batch.BatchEmulator.Jobs;
using Orleans.Batch.BatchEmulator.Processes;
using Orleans.Batch.BatchEmulator.Queues;
using Orleans.Batch.BatchEmulator.Stats;

namespace Orleans.Batch.BatchEmulator.Admin;

/// <summary>
/// The emulator's own API under <c>/_emulator</c> (no signature needed): queues, faults, counters, jobs with their
/// processes, shutdown.
/// </summary>
internal sealed class AdminApi(JobEngine engine, FaultInjector faults, ApiCallCounters counters, IHostApplicationLifetime lifetime)
{
    private static readonly EmulatorJsonContext Json = EmulatorJsonContext.Default;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/_emulator/queues", ListQueuesAsync);
        endpoints.MapPost("/_emulator/queues", context => ConfigureQueueAsync(context, replace: true));
        endpoints.MapMethods("/_emulator/queues/{name}", ["PATCH"], context => ConfigureQueueAsync(context, replace: false));
        endpoints.MapGet("/_emulator/faults", ListFaultsAsync);
        endpoints.MapPost("/_emulator/faults", AddFaultAsync);
        endpoints.MapDelete("/_emulator/faults", ClearFaultsAsync);
        endpoints.MapGet("/_emulator/stats", StatsAsync);
        endpoints.MapDelete("/_emulator/stats", ResetStatsAsync);
        endpoints.MapGet("/_emulator/jobs", JobsAsync);
        endpoints.MapPost("/_emulator/shutdown", ShutdownAsync);
    }

    private Task ListQueuesAsync(HttpContext context) =>
        WriteAsync(context, 200, engine.Read(() => engine.Queues.Select(Info).ToList()), Json.ListQueueInfo);

    private async Task ConfigureQueueAsync(HttpContext context, bool replace)
    {
        JsonObject body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, Json.JsonObject, context.RequestAborted).ConfigureAwait(false)
                ?? throw new JsonException("the body must be a JSON object");
            _ = body.Deserialize(Json.QueueRegistration); // rejects wrongly typed members
        }
        catch (JsonException ex)
        {
            await ErrorAsync(context, 400, "Invalid queue settings: " + ex.Message).ConfigureAwait(false);
            return;
        }

        var unknown = body.Select(p => p.Key).Where(k => !QueueMembers.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            await ErrorAsync(context, 400, $"Unknown queue setting(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", QueueMembers)}.").ConfigureAwait(false);
            return;
        }

        var name = replace ? body["name"]?.GetValue<string>() : context.Request.RouteValues["name"] as string;
        if (string.IsNullOrEmpty(name) || !JobSpecBuilder.NamePattern().IsMatch(name))
        {
            await ErrorAsync(context, 400, "A queue needs a name of up to 128 letters, numbers, hyphens and underscores.").ConfigureAwait(false);
            return;
        }

        if (Validate(body) is { } invalid)
        {
            await ErrorAsync(context, 400, invalid).ConfigureAwait(false);
            return;
        }

        var (status, result) = engine.Mutate<(int, object)>(() =>
        {
            var existing = engine.FindQueue(name);
            if (existing is null && !replace)
            {
                return (404, $"Queue {name} does not exist.");
            }

            var queue = existing ?? engine.GetOrAddQueue(name, body["computeEnvironment"]?.GetValue<string>() ?? name + "-ce");
            if (replace)
            {
                Reset(queue, name, engine.ArnPrefix);
            }

            Apply(queue, body);
            engine.OnQueueChanged(queue);
            return (existing is null ? 201 : 200, Info(queue));
        });

        if (result is QueueInfo info)
        {
            await WriteAsync(context, status, info, Json.QueueInfo).ConfigureAwait(false);
        }
        else
        {
            await ErrorAsync(context, status, (string)result).ConfigureAwait(false);
        }
    }

    private static readonly string[] QueueMembers =
        ["name", "computeEnvironment", "state", "priority", "maxRunning", "stuckReason", "simulated", "transitionDelayMs", "maxVcpus", "maxMemoryMiB", "maxGpus",
         "status", "statusReason", "jobStateTimeLimitActions", "ceState", "ceStatus", "ceStatusReason", "ceType", "ceMaxvCpus", "ceInstanceTypes"];

    private static void Reset(EmulatedQueue queue, string name, string arnPrefix)
    {
        queue.ComputeEnvironmentName = name + "-ce";
        queue.ComputeEnvironmentArn = arnPrefix + "compute-environment/" + queue.ComputeEnvironmentName;
        queue.Enabled = true;
        queue.Priority = 1;
        queue.MaxRunning = null;
        queue.StuckReason = null;
        queue.Simulated = null;
        queue.TransitionDelay = null;
        queue.MaxVcpus = null;
        queue.MaxMemoryMiB = null;
        queue.MaxGpus = null;
        queue.Status = "VALID";
        queue.StatusReason = null;
        queue.ComputeEnvironmentState = "ENABLED";
        queue.ComputeEnvironmentStatus = "VALID";
        queue.ComputeEnvironmentStatusReason = null;
        queue.ComputeResourceType = "EC2";
        queue.ComputeEnvironmentMaxvCpus = null;
        queue.InstanceTypes = ["optimal"];
        queue.StateTimeLimitActions = [];
    }

    /// <summary>Checks the values before anything changes, so a bad request changes nothing.</summary>
    private static string? Validate(JsonObject body)
    {
        if (body["state"]?.GetValue<string>() is { } state && state is not ("ENABLED" or "DISABLED"))
        {
            return $"state must be ENABLED or DISABLED, not '{state}'.";
        }

        if (body["status"]?.GetValue<string>() is { } status && status is not ("VALID" or "INVALID"))
        {
            return $"status must be VALID or INVALID, not '{status}'.";
        }

        if (body["ceState"]?.GetValue<string>() is { } ceState && ceState is not ("ENABLED" or "DISABLED"))
        {
            return $"ceState must be ENABLED or DISABLED, not '{ceState}'.";
        }

        if (body["ceStatus"]?.GetValue<string>() is { } ceStatus && ceStatus is not ("CREATING" or "UPDATING" or "DELETING" or "DELETED" or "VALID" or "INVALID"))
        {
            return $"ceStatus must be one of CREATING, UPDATING, DELETING, DELETED, VALID, INVALID, not '{ceStatus}'.";
        }

        if (body["ceType"]?.GetValue<string>() is { } ceType && ceType is not ("EC2" or "SPOT" or "FARGATE" or "FARGATE_SPOT"))
        {
            return $"ceType must be EC2, SPOT, FARGATE or FARGATE_SPOT, not '{ceType}'.";
        }

        if (body["jobStateTimeLimitActions"] is JsonArray limits && limits.Any(a =>
                a?["reason"] is null || a["maxTimeSeconds"]?.GetValue<int>() is not (>= 600 and <= 86400) || (a["action"]?.GetValue<string>() ?? "CANCEL") is not ("CANCEL" or "TERMINATE")))
        {
            return "jobStateTimeLimitActions: each needs a reason, maxTimeSeconds between 600 and 86400, and action CANCEL or TERMINATE.";
        }

        if (body["ceMaxvCpus"]?.GetValue<int>() < 0)
        {
            return "ceMaxvCpus must not be negative.";
        }

        if (body["maxRunning"]?.GetValue<int>() < 0)
        {
            return "maxRunning must not be negative.";
        }

        if (body["transitionDelayMs"]?.GetValue<int>() < 0)
        {
            return "transitionDelayMs must not be negative.";
        }

        return null;
    }

    private void Apply(EmulatedQueue queue, JsonObject body)
    {
        foreach (var (key, node) in body)
        {
            switch (key)
            {
                case "computeEnvironment":
                    queue.ComputeEnvironmentName = node?.GetValue<string>() ?? queue.Name + "-ce";
                    queue.ComputeEnvironmentArn = engine.ArnPrefix + "compute-environment/" + queue.ComputeEnvironmentName;
                    break;
                case "state":
                    queue.Enabled = (node?.GetValue<string>() ?? "ENABLED") == "ENABLED";
                    break;
                case "priority":
                    queue.Priority = node?.GetValue<int>() ?? 1;
                    break;
                case "maxRunning":
                    queue.MaxRunning = node?.GetValue<int>();
                    break;
                case "stuckReason":
                    queue.StuckReason = node?.GetValue<string>() is { Length: > 0 } reason ? reason : null;
                    break;
                case "simulated":
                    queue.Simulated = node?.GetValue<bool>();
                    break;
                case "transitionDelayMs":
                    queue.TransitionDelay = node?.GetValue<int>() is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
                    break;
                case "maxVcpus":
                    queue.MaxVcpus = node?.GetValue<double>();
                    break;
                case "maxMemoryMiB":
                    queue.MaxMemoryMiB = node?.GetValue<long>();
                    break;
                case "maxGpus":
                    queue.MaxGpus = node?.GetValue<int>();
                    break;
                case "status":
                    queue.Status = node?.GetValue<string>() ?? "VALID";
                    break;
                case "statusReason":
                    queue.StatusReason = node?.GetValue<string>();
                    break;
                case "jobStateTimeLimitActions":
                    queue.StateTimeLimitActions = node is JsonArray actions
                        ? [.. actions.Select(a => new Api.Model.JobStateTimeLimitActionShape
                        {
                            Reason = a!["reason"]!.GetValue<string>(),
                            State = a["state"]?.GetValue<string>() ?? "RUNNABLE",
                            MaxTimeSeconds = a["maxTimeSeconds"]!.GetValue<int>(),
                            Action = a["action"]?.GetValue<string>() ?? "CANCEL",
                        })]
                        : [];
                    break;
                case "ceState":
                    queue.ComputeEnvironmentState = node?.GetValue<string>() ?? "ENABLED";
                    break;
                case "ceStatus":
                    queue.ComputeEnvironmentStatus = node?.GetValue<string>() ?? "VALID";
                    break;
                case "ceStatusReason":
                    queue.ComputeEnvironmentStatusReason = node?.GetValue<string>();
                    break;
                case "ceType":
                    queue.ComputeResourceType = node?.GetValue<string>() ?? "EC2";
                    break;
                case "ceMaxvCpus":
                    queue.ComputeEnvironmentMaxvCpus = node?.GetValue<int>();
                    break;
                case "ceInstanceTypes":
                    queue.InstanceTypes = node is JsonArray types ? [.. types.Select(t => t!.GetValue<string>())] : ["optimal"];
                    break;
            }
        }
    }

    private QueueInfo Info(EmulatedQueue queue) => new()
    {
        Name = queue.Name,
        Arn = queue.Arn,
        ComputeEnvironment = queue.ComputeEnvironmentName,
        State = queue.Enabled ? "ENABLED" : "DISABLED",
        Priority = queue.Priority,
        MaxRunning = queue.MaxRunning,
        StuckReason = queue.StuckReason,
        Simulated = engine.IsSimulated(queue),
        TransitionDelayMs = (int)engine.TransitionDelay(queue).TotalMilliseconds,
        MaxVcpus = queue.MaxVcpus,
        MaxMemoryMiB = queue.MaxMemoryMiB,
        MaxGpus = queue.MaxGpus,
        ActiveJobs = queue.ActiveCount,
        WaitingJobs = queue.Ready.Count(j => j.IsQueuedForDispatch),
        BlockedJobs = queue.Blocked.Count,
        Status = queue.Status,
        CeState = queue.ComputeEnvironmentState,
        CeStatus = queue.ComputeEnvironmentStatus,
        CeType = queue.ComputeResourceType,
        CeMaxvCpus = queue.ComputeEnvironmentMaxvCpus,
        ActiveVcpus = queue.ActiveVcpus,
    };

    private Task ListFaultsAsync(HttpContext context) => WriteAsync(context, 200, Faults(), Json.ListFaultRegistration);

    private async Task AddFaultAsync(HttpContext context)
    {
        FaultRegistration? registration;
        try
        {
            registration = await JsonSerializer.DeserializeAsync(context.Request.Body, Json.FaultRegistration, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await ErrorAsync(context, 400, "Invalid fault: " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (registration is null || !FaultInjector.TryParseKind(registration.Kind, out var kind))
        {
            await ErrorAsync(context, 400, "A fault needs a kind: throttle, server-error or drop-response.").ConfigureAwait(false);
            return;
        }

        var count = registration.Count ?? 1;
        if (count < 1)
        {
            await ErrorAsync(context, 400, "count must be at least 1.").ConfigureAwait(false);
            return;
        }

        var operation = registration.Operation;
        if (operation is not null && operation != "GetLogEvents" && !BatchApi.Operations.Values.Contains(operation))
        {
            await ErrorAsync(context, 400, $"Unknown operation '{operation}'. Known: {string.Join(", ", BatchApi.Operations.Values)}, GetLogEvents.").ConfigureAwait(false);
            return;
        }

        faults.Add(kind, operation, count);
        await WriteAsync(context, 201, Faults(), Json.ListFaultRegistration).ConfigureAwait(false);
    }

    private Task ClearFaultsAsync(HttpContext context)
    {
        faults.Clear();
        return WriteAsync(context, 200, Faults(), Json.ListFaultRegistration);
    }

    private List<FaultRegistration> Faults() =>
        faults.Snapshot().Select(f => new FaultRegistration { Kind = FaultInjector.Name(f.Kind), Operation = f.Operation, Count = f.Remaining }).ToList();

    private Task StatsAsync(HttpContext context)
    {
        var stats = engine.Read(() =>
        {
            var byStatus = Enum.GetValues<JobStatus>().ToDictionary(s => s.ToWire(), _ => 0, StringComparer.Ordinal);
            foreach (var job in engine.AllJobs())
            {
                byStatus[job.Status.ToWire()]++;
            }

            return new EmulatorStats
            {
                Operations = new Dictionary<string, OperationStats>(StringComparer.Ordinal),
                JobsByStatus = byStatus,
                Jobs = engine.JobCount,
                ProcessesStarted = engine.ProcessesStarted,
                ProcessesAlive = engine.LiveProcessCount,
            };
        });
        foreach (var (operation, (calls, errors, injected)) in counters.Snapshot())
        {
            stats.Operations[operation] = new OperationStats { Calls = calls, Errors = errors, InjectedFaults = injected };
        }

        stats.RejectedRequests = counters.Rejected;
        stats.Callers = new Dictionary<string, Dictionary<string, long>>(counters.ByCaller(), StringComparer.Ordinal);
        return WriteAsync(context, 200, stats, Json.EmulatorStats);
    }

    private Task ResetStatsAsync(HttpContext context)
    {
        counters.Reset();
        return StatsAsync(context);
    }

    private Task JobsAsync(HttpContext context)
    {
        var status = context.Request.Query["status"].ToString();
        var queue = context.Request.Query["queue"].ToString();
        var jobs = engine.Read(() => engine.AllJobs()
            .Where(j => (status.Length == 0 || j.Status.ToWire() == status) && (queue.Length == 0 || j.Queue.Name == queue))
            .Select(j => new JobInfo
            {
                JobId = j.JobId,
                JobName = j.JobName,
                JobQueue = j.Queue.Name,
                Status = j.Status.ToWire(),
                StatusReason = j.StatusReason,
                ParentJobId = j.Parent?.JobId,
                ArrayIndex = j.ArrayIndex,
                ArraySize = j.ArraySize,
                Attempt = j.Attempt,
                ExitCode = j.ExitCode,
                LogStreamName = j.LogStreamName,
                ProcessId = j.ProcessIds.Count > 0 ? j.ProcessIds[^1] : null,
                ProcessAlive = j.Process is { HasExited: false },
                ProcessGroupId = j.ProcessGroupIds.Count > 0 ? j.ProcessGroupIds[^1] : null,
                ProcessIds = j.ProcessIds.Count > 0 ? [.. j.ProcessIds] : null,
                ProcessGroupIds = j.ProcessGroupIds.Count > 0 ? [.. j.ProcessGroupIds] : null,
            })
            .ToList());

        var alive = ProcessGroups.AliveAmong(jobs.SelectMany(j => j.ProcessGroupIds ?? []));
        foreach (var job in jobs)
        {
            job.ProcessGroupAlive = job.ProcessGroupIds?.Any(alive.Contains) ?? false;
        }

        return WriteAsync(context, 200, jobs, Json.ListJobInfo);
    }

    private Task ShutdownAsync(HttpContext context)
    {
        // Answer first, then stop: stopping kills every job process and closes the server.
        context.Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return WriteAsync(context, 202, new ErrorBody { Message = "Shutting down: every job process will be killed." }, Json.ErrorBody);
    }

    private static Task ErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteAsync(context, statusCode, new ErrorBody { Message = message }, Json.ErrorBody);

    private static Task WriteAsync<T>(HttpContext context, int statusCode, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        AwsHttp.WriteAsync(context.Response, statusCode, body, typeInfo, "application/json");
}
