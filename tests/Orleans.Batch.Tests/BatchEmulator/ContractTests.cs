using System.Text.Json.Nodes;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.BatchEmulator;

/// <summary>The emulator's answers conform to the vendored Batch model (tests/reference/aws-batch/service-2.json).</summary>
public sealed class ContractTests
{
    // The model marks JobDetail.startedAt required, but Batch leaves it out until a job has started.
    private static readonly HashSet<string> NotYetStarted = ["JobDetail.startedAt"];

    [Fact]
    public async Task Every_answer_conforms_to_the_output_shape_of_its_operation()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();
        await emulator.CreateQueueAsync();
        var model = AwsServiceModel.Batch;
        var answers = new List<(string Operation, JsonNode Body)>();
        async Task<JsonNode> Call(string operation, object request)
        {
            var body = (await emulator.Batch.CallAsync(operation, request)).Ok();
            answers.Add((operation, body));
            return body;
        }

        await Call("RegisterJobDefinition", new
        {
            jobDefinitionName = "contract",
            type = "container",
            parameters = new { p = "v" },
            retryStrategy = new { attempts = 2 },
            timeout = new { attemptDurationSeconds = 600 },
            tags = new { team = "orleans" },
            platformCapabilities = new[] { "EC2" },
            containerProperties = new
            {
                image = "img",
                command = new[] { "exit", "Ref::code" },
                environment = new[] { new { name = "A", value = "1" } },
                resourceRequirements = new[] { new { type = "VCPU", value = "1" }, new { type = "MEMORY", value = "256" } },
                jobRoleArn = "arn:aws:iam::123456789012:role/job",
            },
        });
        var failing = (await Call("SubmitJob", new { jobName = "failing", jobQueue = BatchEmulatorFixture.DefaultQueue, jobDefinition = "contract", parameters = new { code = "4" } }))["jobId"]!.GetValue<string>();
        var array = (await Call("SubmitJob", new
        {
            jobName = "array",
            jobQueue = BatchEmulatorFixture.DefaultQueue,
            jobDefinition = "contract",
            arrayProperties = new { size = 2 },
            tags = new { kind = "array" },
            containerOverrides = new { command = new[] { "sleep", "300" }, environment = new[] { new { name = "B", value = "2" } } },
        }))["jobId"]!.GetValue<string>();
        await emulator.Batch.WaitForStatusAsync(failing, "FAILED");
        await Eventually.MatchesAsync(() => emulator.Batch.DescribeJobAsync(array), j => j["arrayProperties"]!["statusSummary"]!["RUNNING"]?.GetValue<int>() == 2, TimeSpan.FromSeconds(10), "children RUNNING");

        await Call("DescribeJobs", new { jobs = new[] { failing, array, array + ":0", array + ":1" } });
        await Call("ListJobs", new { jobQueue = BatchEmulatorFixture.DefaultQueue, jobStatus = "FAILED" });
        await Call("ListJobs", new { jobQueue = BatchEmulatorFixture.DefaultQueue, jobStatus = "PENDING" });
        await Call("ListJobs", new { arrayJobId = array, maxResults = 1 });
        await Call("DescribeJobQueues", new { });
        await Call("DescribeJobDefinitions", new { jobDefinitionName = "contract" });
        await Call("CancelJob", new { jobId = array, reason = "contract" });
        await Call("TerminateJob", new { jobId = array, reason = "contract" });
        await emulator.Batch.WaitForStatusAsync(array, "FAILED");
        await Call("DescribeJobs", new { jobs = new[] { array, array + ":0" } });

        foreach (var (operation, body) in answers)
        {
            model.Check(model.OutputShape(operation), body, NotYetStarted).ShouldBeEmpty($"{operation} answered {body.ToJsonString()}");
        }

        answers.Select(a => a.Operation).Distinct().Count().ShouldBe(8, "every Batch operation the emulator serves is covered");
    }

    [Fact]
    public async Task Error_bodies_conform_to_the_ClientException_shape()
    {
        await using var emulator = await BatchEmulatorFixture.StartAsync();

        var error = await emulator.Batch.CallAsync("SubmitJob", new { jobName = "j", jobQueue = "missing", jobDefinition = "missing" });

        error.ShouldFailWith(System.Net.HttpStatusCode.BadRequest, "ClientException");
        AwsServiceModel.Batch.Check("ClientException", error.Body).ShouldBeEmpty();
    }

    [Fact]
    public void Model_check_finds_unknown_members_wrong_types_bad_enum_values_and_missing_required_members()
    {
        var body = JsonNode.Parse("""{"jobSummaryList":[{"jobId":1,"status":"DONE","bogus":true,"createdAt":"yesterday"}]}""");

        var problems = AwsServiceModel.Batch.Check("ListJobsResponse", body);

        problems.ShouldContain(p => p.Contains("jobId") && p.Contains("string"));
        problems.ShouldContain(p => p.Contains("'DONE'"));
        problems.ShouldContain(p => p.Contains("bogus") && p.Contains("not a member"));
        problems.ShouldContain(p => p.Contains("createdAt") && p.Contains("integer"));
        problems.ShouldContain(p => p.Contains("jobName") && p.Contains("required"));
        problems.Count.ShouldBe(5);
    }
}
