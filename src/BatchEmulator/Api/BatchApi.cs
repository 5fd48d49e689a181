using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Batch.BatchEmulator.Faults;
using Orleans.Batch.BatchEmulator.Security;
using Orleans.Batch.BatchEmulator.Stats;

namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>
/// <c>POST /v1/&lt;operation&gt;</c>: authentication, counting, fault injection, then the operation.
/// </summary>
internal sealed class BatchApi(BatchService service, SignatureGate gate, FaultInjector faults, ApiCallCounters counters, ILogger<BatchApi> logger)
{
    /// <summary>The operations served, by the lower-case name in their URI.</summary>
    public static readonly IReadOnlyDictionary<string, string> Operations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["submitjob"] = "SubmitJob",
        ["describejobs"] = "DescribeJobs",
        ["terminatejob"] = "TerminateJob",
        ["canceljob"] = "CancelJob",
        ["listjobs"] = "ListJobs",
        ["describejobqueues"] = "DescribeJobQueues",
        ["describecomputeenvironments"] = "DescribeComputeEnvironments",
        ["describejobdefinitions"] = "DescribeJobDefinitions",
        ["registerjobdefinition"] = "RegisterJobDefinition",
    };

    public async Task HandleAsync(HttpContext context)
    {
        var segment = context.Request.RouteValues["operation"] as string ?? "";
        if (!Operations.TryGetValue(segment, out var operation))
        {
            await AwsHttp.WriteRestJsonErrorAsync(context.Response, new AwsServiceException(404, "UnknownOperationException", $"Unknown operation /v1/{segment}")).ConfigureAwait(false);
            return;
        }

        try
        {
            string caller;
            try
            {
                caller = gate.Check(context.Request, "batch");
            }
            catch (AwsServiceException)
            {
                counters.RejectedRequest();
                throw;
            }

            counters.Called(operation, caller);
            var fault = faults.Take(operation);
            if (fault is { } injected)
            {
                counters.Faulted(operation);
                EmulatorLog.FaultInjected(logger, operation, FaultInjector.Name(injected));
            }

            switch (fault)
            {
                case FaultKind.Throttle:
                    throw new AwsServiceException(429, "TooManyRequestsException", "Too Many Requests");
                case FaultKind.ServerError:
                    throw AwsServiceException.Server("Internal Server Error (injected by the Batch emulator)");
            }

            var dropResponse = fault == FaultKind.DropResponse;
            var c = EmulatorJsonContext.Default;
            await (operation switch
            {
                "SubmitJob" => InvokeAsync(context, c.SubmitJobRequest, service.SubmitJob, c.SubmitJobResponse, dropResponse),
                "DescribeJobs" => InvokeAsync(context, c.DescribeJobsRequest, service.DescribeJobs, c.DescribeJobsResponse, dropResponse),
                "TerminateJob" => InvokeAsync(context, c.JobStopRequest, service.TerminateJob, c.EmptyResponse, dropResponse),
                "CancelJob" => InvokeAsync(context, c.JobStopRequest, service.CancelJob, c.EmptyResponse, dropResponse),
                "ListJobs" => InvokeAsync(context, c.ListJobsRequest, service.ListJobs, c.ListJobsResponse, dropResponse),
                "DescribeJobQueues" => InvokeAsync(context, c.DescribeJobQueuesRequest, service.DescribeJobQueues, c.DescribeJobQueuesResponse, dropResponse),
                "DescribeComputeEnvironments" => InvokeAsync(context, c.DescribeComputeEnvironmentsRequest, service.DescribeComputeEnvironments, c.DescribeComputeEnvironmentsResponse, dropResponse),
                "DescribeJobDefinitions" => InvokeAsync(context, c.DescribeJobDefinitionsRequest, service.DescribeJobDefinitions, c.DescribeJobDefinitionsResponse, dropResponse),
                _ => InvokeAsync(context, c.RegisterJobDefinitionRequest, service.RegisterJobDefinition, c.RegisterJobDefinitionResponse, dropResponse),
            }).ConfigureAwait(false);
        }
        catch (AwsServiceException error)
        {
            if (Operations.ContainsKey(segment) && error.StatusCode != 403)
            {
                counters.Failed(operation);
            }

            EmulatorLog.RequestFailed(logger, operation, error.StatusCode, error.ErrorType, error.Message);
            await AwsHttp.WriteRestJsonErrorAsync(context.Response, error).ConfigureAwait(false);
        }
    }

    private static async Task InvokeAsync<TRequest, TResponse>(
        HttpContext context,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TResponse> operation,
        JsonTypeInfo<TResponse> responseType,
        bool dropResponse)
    {
        var request = await AwsHttp.ReadBodyAsync(context.Request, requestType, context.RequestAborted).ConfigureAwait(false);
        var response = operation(request);
        if (dropResponse)
        {
            // The work is done, but the client never hears about it: a lost response.
            context.Abort();
            return;
        }

        await AwsHttp.WriteAsync(context.Response, 200, response, responseType, AwsHttp.RestJsonContentType).ConfigureAwait(false);
    }
}
