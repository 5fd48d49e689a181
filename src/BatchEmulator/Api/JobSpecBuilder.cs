using System.Globalization;
using System.Text.RegularExpressions;
using Orleans.Batch.BatchEmulator.Api.Model;
using Orleans.Batch.BatchEmulator.Definitions;
using Orleans.Batch.BatchEmulator.Jobs;

namespace Orleans.Batch.BatchEmulator.Api;

/// <summary>Validates a SubmitJob request against its definition and applies the overrides, as Batch does.</summary>
internal static partial class JobSpecBuilder
{
    public const string ReservedPrefix = "AWS_BATCH";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")]
    public static partial Regex NamePattern();

    public static JobSpec Build(SubmitJobRequest request, RegisteredJobDefinition definition, int minimumTimeoutSeconds)
    {
        var overrides = request.ContainerOverrides;
        var container = definition.Container;

        if (overrides?.Command is { } overrideCommand && overrideCommand.Any(string.IsNullOrEmpty))
        {
            throw AwsServiceException.Client("containerOverrides.command can't contain an empty string.");
        }

        CheckEnvironment(overrides?.Environment, "containerOverrides.environment");

        var parameters = Merge(definition.Parameters, request.Parameters);
        var command = (overrides?.Command ?? container.Command ?? []).Select(argument => Substitute(argument, parameters)).ToList();

        var environment = new List<KeyValuePairShape>();
        foreach (var variable in (container.Environment ?? []).Concat(overrides?.Environment ?? []))
        {
            environment.RemoveAll(e => e.Name == variable.Name);
            environment.Add(new KeyValuePairShape { Name = variable.Name, Value = variable.Value ?? "" });
        }

        var resources = new List<ResourceRequirementShape>();
        foreach (var requirement in (container.ResourceRequirements ?? []).Concat(overrides?.ResourceRequirements ?? []))
        {
            if (requirement.Type is not ("VCPU" or "MEMORY" or "GPU") || string.IsNullOrEmpty(requirement.Value))
            {
                throw AwsServiceException.Client($"Invalid resource requirement: type must be one of VCPU, MEMORY, GPU with a value (got type '{requirement.Type}', value '{requirement.Value}').");
            }

            resources.RemoveAll(r => r.Type == requirement.Type);
            resources.Add(new ResourceRequirementShape { Type = requirement.Type, Value = requirement.Value });
        }

        var vcpus = overrides?.Vcpus ?? container.Vcpus;
        var memory = overrides?.Memory ?? container.Memory;

        var timeout = request.Timeout?.AttemptDurationSeconds ?? definition.Timeout?.AttemptDurationSeconds;
        if (timeout is { } seconds && seconds < minimumTimeoutSeconds)
        {
            throw AwsServiceException.Client($"timeout.attemptDurationSeconds must be at least {minimumTimeoutSeconds} seconds (got {seconds}).");
        }

        var retryStrategy = request.RetryStrategy ?? definition.RetryStrategy;
        var attempts = retryStrategy?.Attempts ?? 1;
        if (attempts is < 1 or > 10)
        {
            throw AwsServiceException.Client($"retryStrategy.attempts must be between 1 and 10 (got {attempts}).");
        }

        var retryConditions = RetryCondition.Parse(retryStrategy?.EvaluateOnExit);

        if (request.Tags is { Count: > 50 })
        {
            throw AwsServiceException.Client("A job can have at most 50 tags.");
        }

        return new JobSpec
        {
            Definition = definition,
            Image = container.Image ?? "",
            Command = command,
            Environment = environment,
            ResourceRequirements = resources,
            ReadonlyRootFilesystem = container.ReadonlyRootFilesystem ?? false,
            User = container.User,
            Vcpus = vcpus,
            Memory = memory,
            Parameters = parameters,
            AttemptDurationSeconds = timeout,
            MaxAttempts = attempts,
            RetryStrategy = retryStrategy,
            RetryConditions = retryConditions,
            Tags = request.Tags,
            PropagateTags = request.PropagateTags ?? definition.PropagateTags,
            ShareIdentifier = request.ShareIdentifier,
            RequiredVcpus = Requirement(resources, "VCPU") ?? vcpus ?? 0,
            RequiredMemoryMiB = (long)(Requirement(resources, "MEMORY") ?? memory ?? 0),
            RequiredGpus = (int)(Requirement(resources, "GPU") ?? 0),
        };
    }

    /// <summary>Batch reserves the AWS_BATCH prefix for the variables it sets itself.</summary>
    public static void CheckEnvironment(IEnumerable<KeyValuePairShape>? environment, string member)
    {
        foreach (var variable in environment ?? [])
        {
            if (string.IsNullOrEmpty(variable.Name))
            {
                throw AwsServiceException.Client($"{member}: every environment variable needs a name.");
            }

            if (variable.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                throw AwsServiceException.Client(
                    $"{member}: environment variable {variable.Name} is not allowed: names starting with \"{ReservedPrefix}\" are reserved for variables that Batch sets.");
            }
        }
    }

    private static Dictionary<string, string>? Merge(Dictionary<string, string>? defaults, Dictionary<string, string>? overrides)
    {
        if (defaults is null && overrides is null)
        {
            return null;
        }

        var merged = new Dictionary<string, string>(defaults ?? [], StringComparer.Ordinal);
        foreach (var (key, value) in overrides ?? [])
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>Replaces a whole <c>Ref::name</c> command argument with the parameter's value.</summary>
    private static string Substitute(string argument, Dictionary<string, string>? parameters) =>
        argument.StartsWith("Ref::", StringComparison.Ordinal) && parameters is not null && parameters.TryGetValue(argument[5..], out var value)
            ? value
            : argument;

    private static double? Requirement(List<ResourceRequirementShape> resources, string type)
    {
        var value = resources.FirstOrDefault(r => r.Type == type)?.Value;
        if (value is null)
        {
            return null;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw AwsServiceException.Client($"Resource requirement {type} has a value that is not a number: '{value}'.");
    }
}
