using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Orleans.Batch.BatchEmulator.Security;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Tests.EndToEnd;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>
/// The IAM policies in deploy/ are what the code needs, no more and no less. A real cluster runs every path that calls
/// AWS, with the manager's and the silos' job role credentials apart (the emulator gives each job role its own key, as
/// ECS does), through the Batch emulator and a proxy in front of DynamoDB Local that record who sent what. Each role's
/// calls must be allowed by its policy, and each action a policy allows must have been sent by that role.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class LeastPrivilegeTests(DynamoDBLocalFixture dynamo)
{
    private const string ManagerKey = "AKIAMANAGERTESTKEY01";
    private const string SiloRoleArn = "arn:aws:iam::123456789012:role/orleans-batch-silo";
    private const string Queue = "silo-queue";
    private const string Definition = "orleans-batch";

    // Sent only to create a table where none is deployed (DynamoDB Local, --create-table): the stack creates the table.
    private static readonly string[] ProvisioningOnly = ["dynamodb:CreateTable", "dynamodb:DescribeTimeToLive", "dynamodb:UpdateTimeToLive"];

    // Allowed and sent by the code, but on paths a short run does not reach (checked in the source instead).
    private static readonly Dictionary<string, (string Action, string Why, string Source, string Evidence)[]> NotExercisedHere = new()
    {
        ["SiloAccessPolicy"] =
        [
            ("dynamodb:DeleteItem", "transactions delete Dead rows older than DefunctSiloExpiration, and change-log items past ChangeLogLength (256+) versions",
             "DynamoDBMembershipStore.cs", "Delete = new Delete"),
        ],
        ["ManagerAccessPolicy"] = [],
    };

    // Allowed and sent by the code only when several silos queue for membership writes at once and share a turn,
    // which a two-silo run may or may not do (checked in the source; sent or not, both are fine).
    private static readonly (string Policy, string Action, string Why, string Source, string Evidence)[] SentWhenSilosShareATurn =
    [
        ("SiloAccessPolicy", "dynamodb:BatchGetItem", "the first silo of a shared turn reads the queue and the table version together", "DynamoDBMembershipBatch.cs", "BatchGetItemAsync"),
        ("SiloAccessPolicy", "dynamodb:BatchWriteItem", "the first silo of a shared turn removes the turn's intents after the commit", "DynamoDBMembershipBatch.cs", "BatchWriteItemAsync"),
    ];

    private static readonly Lazy<CloudFormationTemplate> Template = new(() => CloudFormationTemplate.Load(DeployFiles.Template));

    [Fact]
    public void Policies_name_every_action_and_no_wildcard()
    {
        foreach (var policy in new[] { "SiloAccessPolicy", "ManagerAccessPolicy" })
        {
            AllowedActions(policy).ShouldNotContain(a => a.Contains('*'), $"{policy} allows a wildcard action");
        }
    }

    [Fact]
    public async Task Each_role_is_allowed_exactly_the_AWS_actions_its_code_sends()
    {
        var token = TestContext.Current.CancellationToken;
        await dynamo.StartAsync(token);
        await using var proxy = await CallerRecordingProxy.StartAsync(new Uri(dynamo.ServiceUrl));
        await using var emulator = await AwsBatchClusterTests.StartEmulatorWithoutDefinitionAsync();
        (await emulator.Batch.CallAsync("RegisterJobDefinition", new JsonObject
        {
            ["jobDefinitionName"] = Definition,
            ["type"] = "container",
            ["containerProperties"] = new JsonObject
            {
                ["image"] = BatchEmulatorFixture.JobImage,
                ["jobRoleArn"] = SiloRoleArn,
                ["resourceRequirements"] = new JsonArray(new JsonObject { ["type"] = "VCPU", ["value"] = "1" }, new JsonObject { ["type"] = "MEMORY", ["value"] = "512" }),
                ["environment"] = new JsonArray(new JsonObject { ["name"] = "AWS_REGION", ["value"] = "us-east-1" }),
            },
        }.ToJsonString())).Ok();
        var table = DynamoDBLocalFixture.UniqueTableName("iam");
        var leaks = new ProcessLeakDetector();
        var manager = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = ManagerKey,
            ["AWS_SECRET_ACCESS_KEY"] = "manager-test-secret",
            ["AWS_REGION"] = "us-east-1",
        };
        string[] endpoints = ["--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", proxy.Address.ToString(), "--table", table, "--region", "us-east-1"];
        try
        {
            // The table first (as the stack would have made it), so provisioning calls stay out of the roles' records.
            await CreateTableAsync(table, token);

            // Preflight; then a cluster that grows and shrinks (submit, terminate one silo), held until its manager is
            // killed: the silos mark the lease abandoned and pull the kill switch. As in production, nobody creates tables.
            await RunAsync(leaks, ["preflight", "--silos", "2", "--queue", Queue, "--definition", Definition, .. endpoints], manager);
            await using (var launcher = LauncherProcess.Start(leaks,
                ["--backend", "aws-batch", "--silos", "2", "--queue", Queue, "--definition", Definition, "--workload", "elastic", "--orphan-timeout", "5s", "--hold", "--create-table", "false", .. endpoints],
                manager))
            {
                await launcher.WaitForOutputAsync("Holding the cluster up", TimeSpan.FromMinutes(4));
                await launcher.SignalAsync("KILL");
                await launcher.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            var child = (await emulator.Admin.JobsAsync()).Select(j => j!["jobId"]!.GetValue<string>()).First(id => id.Contains(':', StringComparison.Ordinal));

            // What an operator does next: list, read a silo's log, clean the abandoned cluster up.
            await RunAsync(leaks, ["list", "--queue", Queue, .. endpoints], manager);
            await RunAsync(leaks, ["logs", child, "--region", "us-east-1", "--batch-endpoint", emulator.BaseAddress.ToString()], manager);
            await RunAsync(leaks, ["cleanup", "--queue", Queue, .. endpoints], manager);
            await leaks.AssertNoneLeftAsync();

            var siloKey = JobRoleCredentials.AccessKeyFor(SiloRoleArn);
            var callers = (await emulator.Admin.StatsAsync())["callers"]!.AsObject();
            proxy.Callers.ShouldBe([ManagerKey, siloKey], ignoreOrder: true, "only the two roles called DynamoDB");
            callers.Select(c => c.Key).Where(k => k != BatchTestClient.AccessKey).ShouldBe([ManagerKey, siloKey], ignoreOrder: true, "only the two roles (and this test's setup) called Batch and CloudWatch Logs");
            var sent = new Dictionary<string, HashSet<string>>
            {
                ["ManagerAccessPolicy"] = Sent(ManagerKey, callers, proxy),
                ["SiloAccessPolicy"] = Sent(siloKey, callers, proxy),
            };

            foreach (var (policy, actions) in sent)
            {
                var allowed = AllowedActions(policy);
                actions.Except(allowed).Order().ShouldBeEmpty($"{policy} lacks actions its role sends (code → template)");
                var unexercised = NotExercisedHere[policy];
                var sometimes = SentWhenSilosShareATurn.Where(s => s.Policy == policy).ToList();
                allowed.Except(actions).Except(unexercised.Select(u => u.Action)).Except(sometimes.Select(s => s.Action)).Order().ShouldBeEmpty($"{policy} allows actions its role never sends (template → code)");
                foreach (var (_, action, why, source, evidence) in sometimes)
                {
                    allowed.ShouldContain(action, $"{policy} must allow {action}: {why}");
                    SourceShouldStillSend(policy, action, why, source, evidence);
                }

                foreach (var (action, why, source, evidence) in unexercised)
                {
                    actions.ShouldNotContain(action, $"{action} was sent after all: drop it from NotExercisedHere");
                    SourceShouldStillSend(policy, action, why, source, evidence);
                }
            }

            // And nothing the code can send escaped the run: every AWS call site's operation was sent by a role.
            CallableActions().Except(sent.Values.SelectMany(a => a)).Except(ProvisioningOnly).Except(SentWhenSilosShareATurn.Select(s => s.Action)).Order().ShouldBeEmpty("operations the code can send that no role sent here");
        }
        finally
        {
            leaks.KillAll();
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    // An action allowed for a path this run may not take: the source must still take it.
    private static void SourceShouldStillSend(string policy, string action, string why, string source, string evidence)
    {
        var file = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src", "Hosting"), source, SearchOption.AllDirectories).Single();
        File.ReadAllText(file).ShouldContain(evidence, customMessage: $"{policy} allows {action} because {why}; {source} no longer does that");
    }

    [Fact]
    public void Provisioning_calls_come_only_from_the_table_provisioner()
    {
        var sites = CallSites().Where(s => ProvisioningOnly.Contains(s.Action)).Select(s => Path.GetFileName(s.File)).Distinct().ToList();
        sites.ShouldBe(["DynamoDBTableProvisioner.cs"]);
    }

    // What a role sent: Batch and Logs operations from the emulator's record, DynamoDB actions from the proxy's.
    // Submitting a job with tags needs batch:TagResource too (Batch authorizes the tags on create).
    private static HashSet<string> Sent(string key, JsonObject callers, CallerRecordingProxy proxy)
    {
        var actions = new HashSet<string>(proxy.ActionsOf(key), StringComparer.Ordinal);
        foreach (var (operation, _) in callers[key]?.AsObject() ?? [])
        {
            actions.Add(operation == "GetLogEvents" ? "logs:GetLogEvents" : $"batch:{operation}");
            if (operation == "SubmitJob")
            {
                actions.Add("batch:TagResource");
            }
        }

        return actions;
    }

    private static HashSet<string> AllowedActions(string policy) =>
        Template.Value.Properties(policy)["PolicyDocument"]!["Statement"]!.AsArray()
            .SelectMany(s => s!["Action"] is JsonArray many ? many.Select(a => a!.GetValue<string>()) : [s["Action"]!.GetValue<string>()])
            .ToHashSet(StringComparer.Ordinal);

    // Every operation the product's code can send: each call of a DynamoDB or Batch client operation in the shipped
    // source (a transaction counts as the item actions IAM checks for it), tags on submit, and job logs.
    private static HashSet<string> CallableActions()
    {
        var actions = CallSites().Select(s => s.Action).ToHashSet(StringComparer.Ordinal);
        actions.Add("batch:TagResource");
        actions.Add("logs:GetLogEvents");
        actions.Remove("dynamodb:TransactWriteItems");
        actions.Remove("dynamodb:TransactGetItems");
        return actions;
    }

    private static IEnumerable<(string File, string Action)> CallSites()
    {
        var operations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (service, type) in new[] { ("dynamodb", typeof(IAmazonDynamoDB)), ("batch", typeof(IAwsBatchClient)) })
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal)))
            {
                operations.TryAdd(method.Name[..^"Async".Length], $"{service}:{method.Name[..^"Async".Length]}");
            }
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}BatchEmulator{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match call in ClientCall().Matches(File.ReadAllText(file)))
            {
                if (operations.TryGetValue(call.Groups["operation"].Value, out var action))
                {
                    yield return (file, action);
                }
            }
        }
    }

    private static async Task RunAsync(ProcessLeakDetector leaks, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, arguments, TimeSpan.FromMinutes(2), environment);
        exitCode.ShouldBe(0, $"{string.Join(' ', arguments)}\n{stdout}\n{stderr}");
    }

    private async Task CreateTableAsync(string table, CancellationToken token)
    {
        var provisioner = new Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipOptions { TableName = table, ServiceUrl = new Uri(dynamo.ServiceUrl), CreateIfNotExists = true, Region = "us-east-1" };
        await Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBTableProvisioner.EnsureTableAsync(
            dynamo.Client, provisioner, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System, token);
    }

    [GeneratedRegex(@"\.(?<operation>[A-Z][A-Za-z]+)Async\(")]
    private static partial Regex ClientCall();
}
